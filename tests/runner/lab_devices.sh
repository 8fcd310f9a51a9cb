#!/bin/sh
# A profile that lists three lab devices (devices:): one reference client through the process
# adapter and two through the hooks adapter, whose shell hooks power the client on and off like
# a relay would a board, capture its log like a serial port, and "flash" it by wiping its state.
# The same few cases on one lab device (--lab-device) and spread over the lab give the same
# case ids and verdicts; every case runs on exactly one device and names it by its lab name;
# each device's console lines carry its name; --shard spreads its part over the lab; --devices
# with a lab, an unknown --lab-device and a broken entry are exit 2 with the entry named.
# Usage: lab_devices.sh FOTACHECK SOURCE_DIR WORKDIR
set -uf
fotacheck=$1 source=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
cases="--case FU-OBJ-751 --case FU-OBJ-001 --case FU-OBJ-002 --case FU-REG-002 --case FU-PUSH-770 --case FU-PULL-COAP-771"
fail() { echo "FAIL: $*"; exit 1; }
# Runs fotacheck with its output in FILE; on a non-zero exit shows it and fails with WHAT.
run() {
  out=$1 what=$2
  shift 2
  "$fotacheck" "$@" > "$out" 2>&1
  status=$?
  [ $status -eq 0 ] || { cat "$out"; fail "$what: exit $status"; }
}

# The client as a board: power_on starts it in the background, power_off kills it at once (a
# power cut), log_stop ends it with the run; the log capture follows its output.
client="{suite_bin}/fotacheck-refclient --server {server_uri} --endpoint {endpoint} --state-dir {workdir}/state \
--verify-key $source/fixtures/keys/package-signing.pub.pem --ack-timeout 1 --max-retransmit 1 --lifetime 30 \
--protocols coap,http --delivery both --install-time 1s"
rig() {  # a devices entry: name, endpoint
  cat <<EOF
  - name: $1
    device: {endpoint: "$2"}
    adapter:
      type: hooks
      hooks:
        log_start: "touch {workdir}/board.log && exec tail -n +1 -F {workdir}/board.log"
        flash: "rm -rf {workdir}/state"
        power_on: "$client >> {workdir}/board.log 2>&1 & echo \$! > {workdir}/board.pid"
        power_off: "kill -9 \$(cat {workdir}/board.pid) 2>/dev/null; sleep 0.1; true"
        log_stop: "kill \$(cat {workdir}/board.pid) 2>/dev/null; true"
        timeout: 10s
EOF
}
{
  cat <<EOF
include: $source/adapters/profiles/refclient-plain.yaml
device:
  name: "reference client lab"
faults:                 # shared by every device: no fault of method args with a hooks device
  flash_full: unsupported
  out_of_ram: unsupported
devices:
  - name: sim-1         # the shared process adapter
EOF
  rig rig-2 "rig2-{run}"
  rig rig-3 "rig3-{run}"
} > lab.yaml

"$fotacheck" validate lab.yaml > validate.txt 2>&1 || { cat validate.txt; fail "validate lab.yaml"; }
cat validate.txt
grep -q "profile OK: 3 lab devices" validate.txt && grep -q '  rig-2: endpoint "rig2-{run}", adapter hooks' validate.txt \
  || fail "validate does not list the lab devices"

# shellcheck disable=SC2086
run one.txt "one lab device" --profile lab.yaml --lab-device rig-2 --reports one $cases
grep -q "\[hook power_on\]" one/hooks.log || { cat one.txt; fail "rig-2 did not run through its hooks"; }
# shellcheck disable=SC2086
run lab.txt "the lab" --profile lab.yaml --reports lab --durations one/results.json $cases
cat lab.txt
for name in sim-1 rig-2 rig-3; do
  grep -q "^\[$name\] fotacheck: reference server at" lab.txt || fail "no console line prefixed [$name]"
  [ -f "lab/device-$name/results.json" ] || fail "no lab/device-$name/results.json"
done
grep -q "\[hook power_on\]" lab/device-rig-3/hooks.log || fail "rig-3 did not run through its hooks"
# shellcheck disable=SC2086
run shard.txt "--shard 2/2 over the lab" --profile lab.yaml --reports shard --shard 2/2 --durations one/results.json $cases
# shellcheck disable=SC2086
run plain-shard.txt "--shard 2/2 on one lab device" --profile lab.yaml --lab-device sim-1 --reports plain-shard \
  --shard 2/2 --durations one/results.json $cases

python3 - <<'PY' || exit 1
import json, sys
def cases(path):
    return json.load(open(path))["cases"]
def verdicts(path):
    return sorted((c["id"], c["verdict"]) for c in cases(path))
one = verdicts("one/results.json")
problems = []
if len(one) != 6:
    problems.append(f"the one-device run has {len(one)} cases, expected 6")
if verdicts("lab/results.json") != one:
    problems.append(f"lab/results.json differs from one/results.json:\n  {verdicts('lab/results.json')}\n  {one}")
devices = [c.get("device", "") for c in cases("lab/results.json")]
if sorted(set(devices)) != ["rig-2", "rig-3", "sim-1"]:
    problems.append(f"expected every case to name one of sim-1, rig-2, rig-3, got {devices}")
ids = [c["id"] for c in cases("lab/results.json")]
if len(ids) != len(set(ids)):
    problems.append("a case ran on two devices")
for name in ("sim-1", "rig-2", "rig-3"):
    run = json.load(open(f"lab/device-{name}/results.json"))["run"]
    if run["device"].get("lab_device") != name:
        problems.append(f"lab/device-{name}/results.json: run.device.lab_device is {run['device'].get('lab_device')}")
    owner = {c["id"]: c.get("device") for c in cases("lab/results.json")}
    for c in cases(f"lab/device-{name}/results.json"):
        if owner.get(c["id"]) != name:
            problems.append(f"{c['id']} ran on {name}, the merged run names another device")
# The shard's part, spread over the lab, is the part one device runs for the same shard.
shard = sorted(c["id"] for c in cases("shard/results.json"))
if shard != sorted(c["id"] for c in cases("plain-shard/results.json")) or not shard:
    problems.append(f"--shard 2/2 over the lab ran {shard}, on one lab device "
                    f"{sorted(c['id'] for c in cases('plain-shard/results.json'))}")
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY
grep -q "rig-3" lab/report.html || fail "report.html does not name the lab devices"
# log_stop ended every client the hooks started (SIGTERM: it may take a moment).
for _ in $(seq 1 50); do
  pgrep -f -- "--endpoint rig[23]-[0-9]+ " > leftover.txt || break
  sleep 0.1
done
pgrep -f -- "--endpoint rig[23]-[0-9]+ " > leftover.txt && { cat leftover.txt; fail "a hooks client outlived its run"; }

# Refusals: --devices with a lab, an unknown lab device, a broken entry (file, entry, field).
"$fotacheck" --profile lab.yaml --devices 2 --reports refused $cases > devices.txt 2>&1
status=$?
cat devices.txt
[ $status -eq 2 ] && grep -q "lists its lab devices (devices:)" devices.txt || fail "--devices 2 with a lab: exit $status"
"$fotacheck" --profile lab.yaml --lab-device rig-9 --reports refused $cases > unknown.txt 2>&1
status=$?
cat unknown.txt
[ $status -eq 2 ] && grep -q "devices: --lab-device rig-9: no such lab device; the profile lists sim-1, rig-2, rig-3" \
  unknown.txt || fail "--lab-device rig-9: exit $status"
{ cat lab.yaml; echo "    timing: {scale: 2}"; } > broken.yaml
"$fotacheck" --profile broken.yaml --reports refused $cases > broken.txt 2>&1
status=$?
cat broken.txt
[ $status -eq 2 ] && grep -q "broken.yaml:[0-9]*:5: devices\[2\].timing: is shared by every lab device" broken.txt \
  && grep -q "nothing was run" broken.txt || fail "a broken lab entry: exit $status"
"$fotacheck" --profile lab.yaml --link 5g --reports refused $cases > link.txt 2>&1
status=$?
cat link.txt
[ $status -eq 2 ] && grep -q "fotacheck: --link: expected one of none, nbiot, ltem, got '5g'" link.txt \
  || fail "--link 5g: exit $status"
[ ! -e refused ] || fail "a refused run created its report folder"
echo "PASS"
