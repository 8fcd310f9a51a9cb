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
blocks=0 http=0 dtls=0
for pcap in "${pcaps[@]}"; do
  name=$(basename "$pcap")
  if ! grep -a -q "fotacheck wire capture" "$pcap"; then
    echo "$name: not a wire capture (rebuilt from the trace?)"
    status=1
  fi
  # One pass: per packet its protocols, cipher suite, block size (SZX, first value: a Size2
  # option adds one), More flag, block payload length and HTTP response code.
  fields=$(mktemp)
  shark "$pcap" -T fields -E separator=';' -e frame.protocols -e dtls.handshake.ciphersuite -e coap.opt.block_size \
    -e coap.opt.block_mflag -e coap.block_length -e http.response.code >"$fields"
  read -r coap dtls_only chacha whole cut responses decrypted < <(awk -F';' '
    { coap_here = ($1 ~ /:coap/); if (coap_here) coap++; if ($1 ~ /:dtls/) dtls++
      if ($1 ~ /:dtls/ && coap_here) decrypted++
      if ($2 ~ /^0xcca[89a-e]$/) chacha++  # the ServerHello: one suite, the chosen one
      split($3, szx, ","); split($4, more, ",")
      if (more[1] == "1" && $5 != "") { if (2 ^ (szx[1] + 4) == $5) whole++; else cut++ }
      if ($6 != "") responses++ }
    END { printf "%d %d %d %d %d %d %d\n", coap, (coap == 0 && dtls > 0), chacha, whole, cut, responses, decrypted }' "$fields")
  rm -f "$fields"
  blocks=$((blocks + whole)) http=$((http + responses)) dtls=$((dtls + decrypted))
  if [ "$cut" -gt 0 ]; then
    echo "$name: $cut block payloads shorter or longer than their block size"
    status=1
  fi
  if [ "$dtls_only" -eq 1 ]; then
    # Only DTLS: the embedded key log must match the sessions (tshark finds their master
    # secrets with no flags). tshark 4.0 (Debian 12) then fails every ChaCha20-Poly1305 DTLS
    # record ("auth tag mismatch"), the suite GnuTLS negotiates by default: that is
    # Wireshark's to fix, so such a capture is accepted when its keys matched.
    debug=$(mktemp)
    tshark -n -o "tls.debug_file:$debug" -r "$pcap" >/dev/null 2>&1
    if ! grep -q "master secret retrieved using Client Random" "$debug"; then
      echo "$name: only DTLS, and tshark finds no master secret for it (the embedded key log does not match)"
      status=1
    elif [ "$chacha" -eq 0 ]; then
      echo "$name: only DTLS, keys matched, yet no CoAP decrypted"
      status=1
    else
      echo "$name: DTLS with ChaCha20-Poly1305; keys matched, tshark $(tshark --version 2>/dev/null | awk 'NR==1{print $3}') cannot decrypt that suite in DTLS"
    fi
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
    dtls_pcaps=0
    for pcap in "${pcaps[@]}"; do
      [ "$(shark "$pcap" -Y dtls | wc -l)" -gt 0 ] || continue
      dtls_pcaps=$((dtls_pcaps + 1))
      # The Decryption Secrets Block: type 0x0000000A, secrets type "TLSK" (little-endian "KSLT").
      grep -a -q "KSLT" "$pcap" || { echo "$(basename "$pcap"): DTLS without an embedded key log"; status=1; }
    done
    [ $dtls_pcaps -gt 0 ] || { echo "no DTLS in any pcap"; status=1; }
    for dir in "${key_logs[@]}"; do
      [ -s "$dir/pcap/sslkeylog.txt" ] || { echo "no key log beside the pcaps ($dir/pcap/sslkeylog.txt)"; status=1; }
    done
    ;;
esac
[ $status -eq 0 ] && echo "$label: ${#pcaps[@]} wire pcaps read with no flags; $blocks whole blocks, $http HTTP responses, $dtls decrypted DTLS CoAP packets"
exit $status
