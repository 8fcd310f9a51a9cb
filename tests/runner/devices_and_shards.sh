#!/bin/sh
# The same few cases on one device, on two devices side by side (--devices 2) and as two shards
# joined by `fotacheck report --merge` give the same case ids and verdicts; every case runs on
# exactly one device and names it, and each device's console lines carry [device-K]; the shards
# are the split --devices makes (one deterministic split); a merge of overlapping shards or of
# different profiles is refused with exit 2.
# Usage: devices_and_shards.sh FOTACHECK PROFILE WORKDIR
set -uf
fotacheck=$1 profile=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cases="--case FU-OBJ-* --case FU-REG-002 --case FU-PUSH-770 --case FU-PULL-COAP-771"
fail() { echo "FAIL: $*"; exit 1; }

# shellcheck disable=SC2086
"$fotacheck" --profile "$profile" --reports one $cases > one.txt 2>&1 || { cat one.txt; fail "one device: exit $?"; }
# shellcheck disable=SC2086
"$fotacheck" --profile "$profile" --reports two --devices 2 --durations one/results.json $cases > two.txt 2>&1 \
  || { cat two.txt; fail "--devices 2: exit $?"; }
cat two.txt
for k in 1 2; do
  grep -q "^\[device-$k\] fotacheck: reference server at" two.txt || fail "no console line prefixed [device-$k]"
done
for k in 1 2; do
  # shellcheck disable=SC2086
  "$fotacheck" --profile "$profile" --reports "shard-$k" --shard "$k/2" --durations one/results.json $cases \
    > "shard-$k.txt" 2>&1 || { cat "shard-$k.txt"; fail "--shard $k/2: exit $?"; }
done
"$fotacheck" report --merge shard-1/results.json shard-2/results.json --out merged > merge.txt 2>&1 \
  || { cat merge.txt; fail "report --merge: exit $?"; }
cat merge.txt

python3 - <<'PY' || exit 1
import json, sys
def cases(path):
    return json.load(open(path))["cases"]
def verdicts(path):
    return sorted((c["id"], c["verdict"]) for c in cases(path))
one = verdicts("one/results.json")
problems = []
if len(one) < 5:
    problems.append(f"the one-device run has only {len(one)} cases")
for other in ("two/results.json", "merged/results.json"):
    if verdicts(other) != one:
        problems.append(f"{other} differs from one/results.json:\n  {verdicts(other)}\n  {one}")
    devices = {c.get("device", "") for c in cases(other)}
    if "" in devices or len(devices) != 2:
        problems.append(f"{other}: expected every case to name one of two devices, got {sorted(devices)}")
for k in (1, 2):
    part = {c["id"] for c in cases(f"two/device-{k}/results.json")}
    shard = {c["id"] for c in cases(f"shard-{k}/results.json")}
    if part != shard:
        problems.append(f"device {k} of --devices 2 ran {sorted(part)}, shard {k}/2 ran {sorted(shard)}: not one split")
ids = [c["id"] for c in cases("two/results.json")]
if len(ids) != len(set(ids)):
    problems.append("a case ran on two devices")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY
grep -q "device refclient-" two/report.html || fail "report.html does not name the devices"

"$fotacheck" report --merge shard-1/results.json shard-1/results.json --out overlap > overlap.txt 2>&1
status=$?
cat overlap.txt
[ $status -eq 2 ] && grep -q "is in both shard-1/results.json and shard-1/results.json" overlap.txt \
  || fail "an overlapping merge: exit $status"
python3 -c "
import json; d = json.load(open('shard-2/results.json')); d['run']['profile_hash'] = 'sha256:other'
json.dump(d, open('other.json', 'w'))"
"$fotacheck" report --merge shard-1/results.json other.json --out other > other.txt 2>&1
status=$?
cat other.txt
[ $status -eq 2 ] && grep -q "are not shards of one run: their profiles (profile_hash) differ" other.txt \
  || fail "a merge of different profiles: exit $status"
"$fotacheck" --profile "$profile" --reports bad --shard 3/2 > bad.txt 2>&1
status=$?
[ $status -eq 2 ] && grep -q "K must be 1 to N" bad.txt || { cat bad.txt; fail "--shard 3/2: exit $status"; }

# SIGTERM to the parent reaches every device's runner once: each writes what it gathered, the
# merge holds it, exit 143. Both cases must still run when the signal comes: against a client
# that waits for ever on a silent peer, each waits out its silent-transfer deadline (~20 s).
"$fotacheck" --profile "$profile" --reports stopped --devices 2 --case FU-RES-775-SEPARATE \
  --case FU-RES-775-HTTP-STALL --device-arg=--mutant --device-arg=separate-response-waits-forever \
  --device-arg=--mutant --device-arg=http-stall-waits-forever > stopped.txt 2>&1 &
parent=$!
for _ in $(seq 1 300); do
  [ "$(grep -c 'starting the device' stopped.txt)" -eq 2 ] && break
  sleep 0.1
done
sleep 2
kill -TERM "$parent"
wait "$parent"
status=$?
cat stopped.txt
[ $status -eq 143 ] || fail "--devices 2 stopped by SIGTERM: exit $status, expected 143"
python3 -c "
import json, sys; d = json.load(open('stopped/results.json'))
ok = d.get('interrupted_by') == 'SIGTERM' and not d['complete'] and len(d['cases']) == 2
sys.exit(0 if ok else 'stopped/results.json: ' + str({k: d.get(k) for k in ('interrupted_by', 'complete')}))" \
  || fail "the merged run of an interrupted --devices run"
echo "PASS"
