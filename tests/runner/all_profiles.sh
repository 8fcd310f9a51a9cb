#!/bin/bash
# `fotacheck --all-profiles`: each shipped refclient*.yaml is a run of its own in REPORTS/<name>/
# and the runs are compared in REPORTS/comparison.md, one column per profile.
#   all_profiles.sh FOTACHECK PROFILES_DIR REPORTS_DIR
set -u
fotacheck=$1 profiles=$2 reports=$3
fail() { echo "FAIL: $*"; tail -n 40 "$reports.log"; exit 1; }
rm -rf "$reports"
CI=true "$fotacheck" --all-profiles --case FU-OBJ-751 --reports "$reports" >"$reports.log" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
count=0
for profile in "$profiles"/refclient*.yaml; do
  name=$(basename "$profile" .yaml)
  count=$((count + 1))
  [ -f "$reports/$name/results.json" ] || fail "no $name/results.json"
  grep -q "\"verdict\":\"pass\"\|\"verdict\": \"pass\"" "$reports/$name/results.json" || fail "$name: FU-OBJ-751 did not pass"
  grep -q "$name.yaml" "$reports.log" || fail "the console does not name $name.yaml"
done
[ "$count" -ge 8 ] || fail "only $count reference-client profiles shipped, expected plain, psk, rpk, x509, tcp, tls, object-1.1 and the default"
[ -f "$reports/comparison.html" ] || fail "no comparison.html"
header=$(grep -m 1 '^| case | level |' "$reports/comparison.md") || fail "no table in comparison.md"
columns=$(($(echo "$header" | tr -cd '|' | wc -c) - 3))
[ "$columns" -eq "$count" ] || fail "comparison.md has $columns device columns, expected $count: $header"
for mode in "CoAP, no security" "DTLS PSK" "DTLS RPK" "DTLS X.509" "CoAP over TCP" "CoAP over TLS" "object 1.1" "every capability"; do
  echo "$header" | grep -qF "$mode" || fail "comparison.md has no column for '$mode': $header"
done
echo "--all-profiles: $count profiles run and compared in $reports/comparison.md"
