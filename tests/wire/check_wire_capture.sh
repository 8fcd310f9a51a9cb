#!/usr/bin/env bash
# Every pcap of a run must be the wire itself and read as CoAP by tshark with no flags
# (docs/reports.md, "Packet captures"), blocks whole:
#   check_wire_capture.sh FOTACHECK PROFILE REPORT_DIR EXPECT CASE_ID...   a short run, then the check
#   check_wire_capture.sh --check-only EXPECT REPORT_DIR...              the pcaps of runs made before
# EXPECT is a comma list ("-" for none) of what must show somewhere in the pcaps: "blocks" (a
# Block2 response whose payload is a whole block), "http" (an HTTP response), "dtls" (DTLS whose
# pcaps embed the key log, which also lies beside the pcaps, and match it).
# Exit 77 (CTest SKIPPED) when tshark is not installed.
set -uo pipefail
if ! command -v tshark >/dev/null; then
  echo "tshark is not installed (scripts/setup --with reports installs it): skipped"
  exit 77
fi
shopt -s nullglob
pcaps=() status=0
if [ "$1" = --check-only ]; then
  expect=$2
  shift 2
  for dir in "$@"; do
    found=("$dir"/pcap/*.pcapng)
    [ ${#found[@]} -gt 0 ] || { echo "$dir: no pcap (was the run made?)"; status=1; }
    pcaps+=("${found[@]}")
  done
  key_logs=("$@")
  label="$# runs"
else
  fotacheck=$1 profile=$2 reports=$3 expect=$4
  shift 4
  rm -rf "$reports"
  case_args=()
  for id in "$@"; do case_args+=(--case "$id"); done
  if ! "$fotacheck" --profile "$profile" --reports "$reports" "${case_args[@]}" >"$reports.log" 2>&1; then
    echo "the run against $(basename "$profile") did not pass; log: $reports.log"
    grep -E "fotacheck:" "$reports.log" | head -20
    exit 1
  fi
  pcaps=("$reports"/pcap/*.pcapng)
  if [ ${#pcaps[@]} -ne $# ]; then
    echo "expected one pcap per case ($#), found ${#pcaps[@]}: ${pcaps[*]}"
    status=1
  fi
  key_logs=("$reports")
  label=$(basename "$profile")
fi
# tshark as root warns on stderr; only stdout is read.
shark() { tshark -n -r "$@" 2>/dev/null; }
blocks=0 http=0 dtls=0 dtls_pcaps=()
for pcap in "${pcaps[@]}"; do
  name=$(basename "$pcap")
  if ! grep -a -q "fotacheck wire capture" "$pcap"; then
    echo "$name: not a wire capture (rebuilt from the trace?)"
    status=1
  fi
  # One pass: per packet its protocols, cipher suite, block size (SZX, first value: a Size2
  # option adds one), More flag, block payload length, HTTP response code and DTLS record types.
  fields=$(mktemp)
  shark "$pcap" -T fields -E separator=';' -e frame.protocols -e dtls.handshake.ciphersuite -e coap.opt.block_size \
    -e coap.opt.block_mflag -e coap.block_length -e http.response.code -e dtls.record.content_type >"$fields"
  read -r coap undecrypted chacha whole cut responses decrypted dtls_any < <(awk -F';' '
    { coap_here = ($1 ~ /:coap/); if (coap_here) coap++; if ($1 ~ /:dtls/) dtls++
      if ($1 ~ /:dtls/ && coap_here) decrypted++
      if ($1 ~ /:dtls/ && !coap_here && $7 ~ /(^|,)23(,|$)/) opaque++  # Application Data left encrypted
      if ($2 ~ /^0xcca[89a-e]$/) chacha++  # the ServerHello: one suite, the chosen one
      split($3, szx, ","); split($4, more, ",")
      if (more[1] == "1" && $5 != "") { if (2 ^ (szx[1] + 4) == $5) whole++; else cut++ }
      if ($6 != "") responses++ }
    END { printf "%d %d %d %d %d %d %d %d\n", coap, opaque, chacha, whole, cut, responses, decrypted, (dtls > 0) }' "$fields")
  rm -f "$fields"
  blocks=$((blocks + whole)) http=$((http + responses)) dtls=$((dtls + decrypted))
  [ "$dtls_any" -eq 1 ] && dtls_pcaps+=("$pcap")
  if [ "$cut" -gt 0 ]; then
    echo "$name: $cut block payloads shorter or longer than their block size"
    status=1
  fi
  if [ "$undecrypted" -gt 0 ]; then
    # DTLS application data not read as CoAP: the embedded key log must open it with no flags.
    # Say why it did not: keys that do not match, or ChaCha20-Poly1305, which tshark 4.0 cannot
    # decrypt in DTLS and which the runner turns off for its own GnuTLS (docs/reports.md).
    debug=$(mktemp)
    tshark -n -o "tls.debug_file:$debug" -r "$pcap" >/dev/null 2>&1
    if ! grep -q "master secret retrieved using Client Random" "$debug"; then
      echo "$name: $undecrypted DTLS records not decrypted: tshark finds no master secret for them (the embedded key log does not match)"
    elif [ "$chacha" -gt 0 ]; then
      echo "$name: $undecrypted DTLS records not decrypted: keys matched, but the session uses ChaCha20-Poly1305 (was a GnuTLS system policy in force?)"
    else
      echo "$name: $undecrypted DTLS records not decrypted although the keys matched"
    fi
    status=1
    rm -f "$debug"
  elif [ "$coap" -eq 0 ]; then
    echo "$name: tshark -r $name -Y coap shows no CoAP packet"
    status=1
  fi
  echo "$name: $coap CoAP packets"
done
case ",$expect," in *,blocks,*) [ $blocks -gt 0 ] || { echo "no full-block CoAP payload in any pcap"; status=1; } ;; esac
case ",$expect," in *,http,*) [ $http -gt 0 ] || { echo "no HTTP response in any pcap"; status=1; } ;; esac
case ",$expect," in
  *,dtls,*)
    for pcap in "${dtls_pcaps[@]}"; do
      # The Decryption Secrets Block: type 0x0000000A, secrets type "TLSK" (little-endian "KSLT").
      grep -a -q "KSLT" "$pcap" || { echo "$(basename "$pcap"): DTLS without an embedded key log"; status=1; }
    done
    [ ${#dtls_pcaps[@]} -gt 0 ] || { echo "no DTLS in any pcap"; status=1; }
    [ $dtls -gt 0 ] || { echo "no DTLS record decrypted as CoAP in any pcap"; status=1; }
    for dir in "${key_logs[@]}"; do
      [ -s "$dir/pcap/sslkeylog.txt" ] || { echo "no key log beside the pcaps ($dir/pcap/sslkeylog.txt)"; status=1; }
    done
    ;;
esac
[ $status -eq 0 ] && echo "$label: ${#pcaps[@]} wire pcaps read with no flags; $blocks whole blocks, $http HTTP responses, $dtls decrypted DTLS CoAP packets"
exit $status
