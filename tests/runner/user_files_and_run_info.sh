#!/bin/sh
# One quick run into a report folder the user already uses: nothing of theirs may go, and the
# reports must name exactly what was tested (binary path and SHA-256, profile file hash, version).
#   user_files_and_run_info.sh FOTACHECK PROFILE REPORTS_DIR
set -u
fotacheck=$1 profile=$2 reports=$3
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$reports.stderr"; exit 1; }
rm -rf "$reports" && mkdir -p "$reports/device/state"
echo "the user's notes" > "$reports/notes.txt"
echo "the user's firmware tree" > "$reports/device/state/keep.bin"

"$fotacheck" --profile "$profile" --reports "$reports" --case FU-OBJ-751 --keep-device-state \
  >"$reports.stdout" 2>"$reports.stderr"
status=$?
cat "$reports.stderr"
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
[ "$(cat "$reports/notes.txt")" = "the user's notes" ] || fail "notes.txt was changed or removed"
[ "$(cat "$reports/device/state/keep.bin")" = "the user's firmware tree" ] || fail "device/state/keep.bin was removed"

# The device's scratch state lived in its own folder, kept on request and named on stderr.
kept=$(sed -n "s/^fotacheck: the device's state is kept in //p" "$reports.stderr")
[ -n "$kept" ] && [ -d "$kept" ] || fail "--keep-device-state did not name an existing folder"
case "$kept" in "$reports"*) fail "the device's state is inside the report folder: $kept";; esac
case "$(basename "$kept")" in fotacheck-device-*) ;; *) fail "unexpected scratch folder name $kept";; esac
[ -d "$kept/state" ] || fail "the reference client's state is not in $kept"
rm -rf "$kept"   # created by this run
[ -s "$reports/device.log" ] || fail "the device log was not kept with the reports"

# What was tested.
binary=$(sed -n 's/^ *"binary": "\(.*\)",\{0,1\}$/\1/p' "$reports/results.json")
[ -x "$binary" ] || fail "results.json names no executable binary (got '$binary')"
case "$binary" in */fotacheck-refclient) ;; *) fail "binary $binary is not the reference client";; esac
expected="sha256:$(sha256sum "$binary" | cut -d' ' -f1)"
grep -q "\"binary_sha256\": \"$expected\"" "$reports/results.json" || fail "binary_sha256 is not $expected"
expected="sha256:$(sha256sum "$profile" | cut -d' ' -f1)"
grep -q "\"profile_file_sha256\": \"$expected\"" "$reports/results.json" || fail "profile_file_sha256 is not $expected"
version=$("$fotacheck" --version | sed 's/^fotacheck //')
grep -q "\"version\": \"$version\"" "$reports/results.json" || fail "results.json does not record version $version"
grep -q "device binary: .*fotacheck-refclient" "$reports/summary.md" || fail "summary.md does not name the binary"
grep -q "Device binary SHA-256" "$reports/report.html" || fail "report.html does not show the binary's hash"

# Without --keep-device-state the scratch folder (under $TMPDIR) is gone when the run ends.
scratch="$reports.tmp"
rm -rf "$scratch" && mkdir -p "$scratch"
TMPDIR="$scratch" "$fotacheck" --profile "$profile" --reports "$reports" --case FU-OBJ-751 \
  >"$reports.stdout" 2>"$reports.stderr" || fail "the second run did not pass"
[ -z "$(ls -A "$scratch")" ] || fail "the device's scratch folder was left behind: $(ls -A "$scratch")"
[ -f "$reports/device/state/keep.bin" ] || fail "device/state/keep.bin was removed by the second run"
echo "PASS"
