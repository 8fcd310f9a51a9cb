#!/usr/bin/env bash
# An installed fotacheck runs a short catalogue from its installed files alone.
#
# Usage: installed_run.sh deb|prefix BUILD_DIR SOURCE_DIR
#   deb     cpack -G DEB, then the .deb unpacked with dpkg-deb -x into a fresh folder (no root, the
#           machine is not touched); with FOTACHECK_TEST_DPKG_INSTALL=1 as root, also `dpkg -i`,
#           a run of /usr/bin/fotacheck, and `dpkg -r` (refused when fotacheck is already installed).
#   prefix  cmake --install BUILD_DIR --prefix <fresh folder> --strip
# Then, for the installed files: the layout is complete, no program or man page holds the source
# or build path, the man pages render, and a few cases pass with the bundled profile and with a
# DTLS profile whose keys come from the installed data, run from a folder outside both trees
# (and, where `unshare -rm` works, with both trees hidden under an empty tmpfs).
set -euo pipefail

mode=$1
build=$(cd "$2" && pwd -P)
source=$(cd "$3" && pwd -P)
# Fast cases that use the default profile's pull (CoAP and HTTP) and push deliveries.
default_cases=(FU-OBJ-751 FU-PULL-COAP-771 FU-PULL-HTTP-756 FU-PUSH-770)
# Over DTLS with a pre-shared key: an https download from a repository with the installed test
# PKI, and one refused from a repository with the installed rogue certificate.
psk_cases=(FU-PULL-HTTPS-756 FU-SEC-HTTPS-UNTRUSTED)

fail() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fotacheck-installed-XXXXXX")
work=$(cd "$work" && pwd -P)
case "$work/" in "$source/"* | "$build/"*) fail "the scratch folder $work lies inside the source or build tree; set TMPDIR elsewhere" ;; esac
cleanup() {
  if [ -n "${dpkg_installed:-}" ]; then dpkg -r fotacheck >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

case "$mode" in
  deb)
    if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1; then
      cat "$work/cpack.log"
      fail "cpack -G DEB failed; the package needs the programs and man pages built: cmake --build $build (or --target fotacheck fotacheck-refclient fotacheck-man)"
    fi
    debs=("$work"/package/*.deb)
    [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "expected one .deb in $work/package, found: ${debs[*]}"
    deb=${debs[0]}
    echo "package: $(basename "$deb")"
    depends=$(dpkg-deb -f "$deb" Depends)
    echo "Depends: $depends"
    # The Debian runtime packages of the libraries the programs link (found by dpkg-shlibdeps).
    depended=$(tr ',|' '\n\n' <<<"$depends" | sed 's/(.*//; s/ //g')
    for runtime in libcoap3 libmbedcrypto7 libyaml-cpp0.7 libstdc++6; do
      grep -qxF "$runtime" <<<"$depended" || fail "Depends lacks $runtime: $depends"
    done
    if dpkg-deb -c "$deb" | grep -q 'fotacheck-build-tree.txt'; then fail "the package holds the build tree's marker file"; fi
    dpkg-deb -x "$deb" "$work/unpacked"
    prefix=$work/unpacked/usr
    ;;
  prefix)
    prefix=$work/prefix
    if ! cmake --install "$build" --prefix "$prefix" --strip >"$work/install.log" 2>&1; then
      cat "$work/install.log"
      fail "cmake --install failed; it needs the programs and man pages built: cmake --build $build (or --target fotacheck fotacheck-refclient fotacheck-man)"
    fi
    ;;
  *) fail "unknown mode '$mode' (deb or prefix)" ;;
esac

# The layout (cmake/Install.cmake).
for file in bin/fotacheck bin/fotacheck-refclient \
    share/fotacheck/adapters/profiles/refclient.yaml share/fotacheck/adapters/profiles/refclient-psk.yaml \
    share/fotacheck/fixtures/pki/ca.crt.pem share/fotacheck/fixtures/keys/package-signing.pub.pem \
    share/doc/fotacheck/README.md share/doc/fotacheck/docs/device-profiles.md \
    share/man/man1/fotacheck.1 share/man/man1/fotacheck-refclient.1; do
  [ -s "$prefix/$file" ] || fail "the install lacks $file (in $prefix)"
done
[ -x "$prefix/bin/fotacheck" ] && [ -x "$prefix/bin/fotacheck-refclient" ] || fail "the programs are not executable"

# No path of the building machine in what was installed: data is found from the program's place.
for file in "$prefix"/bin/* "$prefix"/share/man/man1/*; do
  for tree in "$source" "$build"; do
    if grep -aqF "$tree" "$file"; then
      strings "$file" | grep -F "$tree" | head -n 3 >&2 || true
      fail "$file holds the path $tree"
    fi
  done
done

# The man pages render without a warning.
for page in "$prefix"/share/man/man1/*.1; do
  head -n 3 "$page" | grep -q '^\.TH ' || fail "$page has no .TH header"
  if command -v groff >/dev/null; then
    groff -man -Tutf8 -ww -z "$page" 2>"$work/groff.txt" || fail "groff cannot render $page"
    [ ! -s "$work/groff.txt" ] || { cat "$work/groff.txt"; fail "groff warns about $page"; }
  fi
done
if command -v man >/dev/null; then
  MANPAGER=cat MANWIDTH=100 man -l "$prefix/share/man/man1/fotacheck.1" >"$work/man.txt" 2>/dev/null ||
    fail "man -l cannot show fotacheck.1"
  grep -q 'fotacheck validate' "$work/man.txt" && grep -q 'profile' "$work/man.txt" ||
    fail "man -l fotacheck.1 lacks the commands or options: $(head -n 20 "$work/man.txt")"
fi

# Runs the installed fotacheck from a folder outside both trees, with a bare environment; where
# user namespaces allow, the source and build trees are hidden under an empty tmpfs.
hide=()
trees=("$source")
case "$build/" in "$source/"*) ;; *) trees+=("$build") ;; esac
if unshare -rm true 2>/dev/null; then
  hide=(unshare -rm sh -c 'while [ "$1" != -- ]; do mount -t tmpfs fotacheck-hidden "$1" || exit 97;
        [ -z "$(ls -A "$1")" ] || exit 98; shift; done; shift; exec "$@"' hide "${trees[@]}" --)
  echo "running with ${trees[*]} hidden (unshare -rm)"
else
  echo "unshare -rm is not available here: running with the trees visible; the path check above still holds"
fi
# LSan's suppressions file (scripts/test --sanitize) lies in the source tree, which is hidden.
if [[ "${LSAN_OPTIONS:-}" =~ suppressions=([^:]+) ]] && [ -f "${BASH_REMATCH[1]}" ]; then
  cp "${BASH_REMATCH[1]}" "$work/lsan.supp"
  LSAN_OPTIONS=${LSAN_OPTIONS/"${BASH_REMATCH[1]}"/$work/lsan.supp}
fi
run_catalogue() {  # FOTACHECK RUN_NAME [fotacheck arguments...]
  local fotacheck=$1 name=$2 run=$work/$2
  shift 2
  mkdir -p "$run"
  local status=0
  # A bare environment, but a sanitizer build's options (scripts/test --sanitize) still apply.
  local keep=()
  for option in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
    if [ -n "${!option:-}" ]; then keep+=("$option=${!option}"); fi
  done
  (cd "$run" && env -i PATH=/usr/bin:/bin HOME="$run" TMPDIR="$run" "${keep[@]}" "${hide[@]}" "$fotacheck" --reports "$run/reports" "$@") \
    >"$run/console.txt" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    cat "$run/console.txt"
    case "$status" in 97 | 98) fail "could not hide ${trees[*]} under an empty tmpfs (status $status)" ;; esac
    fail "$fotacheck $* exited $status (run in $run)"
  fi
  python3 - "$run/reports/results.json" "$fotacheck" "$@" <<'PY' || { cat "$run/console.txt"; fail "the verdicts of run $name are not all pass"; }
import json, sys
results_file, fotacheck, *args = sys.argv[1:]
wanted = [args[i + 1] for i, a in enumerate(args) if a == "--case"]
results = json.load(open(results_file))
verdicts = {c["id"]: c["verdict"] for c in results["cases"]}
print(f"{fotacheck}: " + ", ".join(f"{i} {verdicts.get(i, 'not run')}" for i in wanted))
if sorted(verdicts) != sorted(wanted) or any(verdicts[i] != "pass" for i in wanted):
    sys.exit(1)
PY
  for tree in "$source" "$build"; do
    if grep -rqF "$tree" "$run/reports"; then
      grep -rlF "$tree" "$run/reports" >&2
      fail "the reports of run $name name $tree: something of the tree was used"
    fi
  done
}

case_args() { for id in "$@"; do printf -- '--case\n%s\n' "$id"; done; }
mapfile -t default_args < <(case_args "${default_cases[@]}")
mapfile -t psk_args < <(case_args "${psk_cases[@]}")
run_catalogue "$prefix/bin/fotacheck" default "${default_args[@]}"
run_catalogue "$prefix/bin/fotacheck" psk --profile "$prefix/share/fotacheck/adapters/profiles/refclient-psk.yaml" "${psk_args[@]}"

if [ "$mode" = deb ] && [ "${FOTACHECK_TEST_DPKG_INSTALL:-}" = 1 ]; then
  [ "$(id -u)" -eq 0 ] || fail "FOTACHECK_TEST_DPKG_INSTALL=1 needs root (dpkg -i)"
  if dpkg-query -W -f='${Status}' fotacheck 2>/dev/null | grep -q 'install ok installed'; then
    fail "a fotacheck package is installed already; this test does not replace it"
  fi
  dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log"; fail "dpkg -i $deb failed"; }
  dpkg_installed=1
  run_catalogue /usr/bin/fotacheck dpkg "${default_args[@]}"
fi
echo "the installed fotacheck ran ${#default_cases[@]} + ${#psk_cases[@]} cases from $prefix"
