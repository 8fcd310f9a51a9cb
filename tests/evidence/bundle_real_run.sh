#!/usr/bin/env bash
# A real run's folder bundled, signed and verified; a flipped byte in one pcap then makes
# verify exit 1 naming that file, and the other key is refused.
#   bundle_real_run.sh FOTACHECK RUN_DIR WORK_DIR PRIVATE.pem PUBLIC.pem OTHER_PUBLIC.pem
set -uo pipefail
fotacheck=$1 run=$2 work=$3 key=$4 pub=$5 other=$6
rm -rf "$work" && mkdir -p "$work" || exit 1
bundle=$work/evidence.tar
"$fotacheck" bundle "$run" --key "$key" --out "$bundle" || { echo "bundle failed"; exit 1; }
"$fotacheck" verify "$bundle" --key "$pub" || { echo "a fresh bundle does not verify"; exit 1; }
"$fotacheck" verify "$bundle" --key "$other" >"$work/other.log"
[ $? -eq 1 ] && grep -q "MANIFEST.sig does not verify" "$work/other.log" || { echo "the wrong key was not refused"; cat "$work/other.log"; exit 1; }
# Flip one byte in the middle of the first pcap's contents (after its 512-byte header).
member=$(tar -tf "$bundle" | grep '^pcap/' | head -1)
[ -n "$member" ] || { echo "the bundle holds no pcap"; exit 1; }
offset=$(python3 - "$bundle" "$member" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    m = t.getmember(sys.argv[2])
    print(m.offset_data + m.size // 2)
PY
)
python3 - "$bundle" "$offset" <<'PY'
import sys
path, at = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
data[at] ^= 0x01
open(path, "wb").write(data)
PY
"$fotacheck" verify "$bundle" --key "$pub" >"$work/flipped.log"
status=$?
cat "$work/flipped.log"
[ $status -eq 1 ] && grep -qF "altered: $member" "$work/flipped.log" || { echo "the flipped byte in $member was not named (exit $status)"; exit 1; }
echo "bundle of $run: verified, the wrong key refused, the flipped byte in $member named"
