#!/usr/bin/env bash
# A short real run against the reference client; then every pcap it wrote must be the wire
# itself and read as CoAP by tshark with no flags (docs/reports.md, "Packet captures"):
#   check_wire_capture.sh FOTACHECK PROFILE REPORT_DIR EXPECT CASE_ID...
# EXPECT is a comma list of what must show somewhere in the run's pcaps: "blocks" (a Block2
# response whose payload is a whole block), "http" (an HTTP response), "dtls" (DTLS whose pcaps
# embed the key log, which also lies beside the pcaps, and match it).
# Exit 77 (CTest SKIPPED) when tshark is not installed.
set -uo pipefail
fotacheck=$1 profile=$2 reports=$3 expect=$4
shift 4
if ! command -v tshark >/dev/null; then
  echo "tshark is not installed (scripts/setup --with reports installs it): skipped"
  exit 77
fi
rm -rf "$reports"
case_args=()
for id in "$@"; do case_args+=(--case "$id"); done
if ! "$fotacheck" --profile "$profile" --reports "$reports" "${case_args[@]}" >"$reports.log" 2>&1; then
  echo "the run against $(basename "$profile") did not pass; log: $reports.log"
  grep -E "fotacheck:" "$reports.log" | head -20
  exit 1
fi
# tshark as root warns on stderr; only stdout is read.
shark() { tshark -n -r "$@" 2>/dev/null; }
status=0
shopt -s nullglob
pcaps=("$reports"/pcap/*.pcapng)
if [ ${#pcaps[@]} -ne $# ]; then
  echo "expected one pcap per case ($#), found ${#pcaps[@]}: ${pcaps[*]}"
  status=1
fi
blocks=0 http=0 dtls=0
for pcap in "${pcaps[@]}"; do
  name=$(basename "$pcap")
  if ! grep -a -q "fotacheck wire capture" "$pcap"; then
    echo "$name: not a wire capture (rebuilt from the trace?)"
    status=1
  fi
  coap=$(shark "$pcap" -Y coap | wc -l)
  if [ "$coap" -eq 0 ] && [ "$(shark "$pcap" -Y dtls | wc -l)" -gt 0 ]; then
    # Only DTLS: the embedded key log must match the sessions (tshark finds their master
    # secrets with no flags). tshark 4.0 (Debian 12) then fails every ChaCha20-Poly1305 DTLS
    # record ("auth tag mismatch"), the suite GnuTLS negotiates by default: that is
    # Wireshark's to fix, so such a capture is accepted when its keys matched.
    debug=$(mktemp)
    tshark -n -o "tls.debug_file:$debug" -r "$pcap" >/dev/null 2>&1
    chacha=$(shark "$pcap" -Y 'dtls.handshake.ciphersuite >= 0xcca8 && dtls.handshake.ciphersuite <= 0xccae' | wc -l)
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
  # Every Block2/Block1 message with More set carries exactly one block: nothing cut (tshark
  # gives the block size as its SZX exponent, first in the list (a Size2 option adds a value),
  # the payload as coap.block_length).
  while read -r size length; do
    [ -z "$size" ] && continue
    blocks=$((blocks + 1))
    if [ "$size" != "$length" ]; then
      echo "$name: a block of $size bytes carries a payload of $length bytes"
      status=1
    fi
  done < <(shark "$pcap" -Y 'coap.opt.block_mflag == 1 && coap.block_length' -T fields -e coap.opt.block_size \
             -e coap.block_length | awk '{split($1, s, ","); print 2 ^ (s[1] + 4), $2}')
  http=$((http + $(shark "$pcap" -Y 'http.response' | wc -l)))
  dtls=$((dtls + $(shark "$pcap" -Y 'dtls && coap' | wc -l)))
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
    [ -s "$reports/pcap/sslkeylog.txt" ] || { echo "no key log beside the pcaps ($reports/pcap/sslkeylog.txt)"; status=1; }
    ;;
esac
[ $status -eq 0 ] && echo "$(basename "$profile"): ${#pcaps[@]} wire pcaps read with no flags; $blocks whole blocks, $http HTTP responses, $dtls decrypted DTLS CoAP packets"
exit $status
