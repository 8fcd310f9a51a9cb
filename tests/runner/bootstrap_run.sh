#!/usr/bin/env bash
# Client-initiated bootstrap against the reference client (adapters/profiles/refclient-bootstrap.yaml):
# a good bootstrap runs the case and reports the bootstrap in the device metadata; a device that
# rejects Bootstrap-Finish, or accepts it and never registers, ends the run with one diagnosis
# naming the step (exit 2), never a hang.
#   bootstrap_run.sh FOTACHECK PROFILE REPORT_DIR
set -uo pipefail
fotacheck=$1 profile=$2 reports=$3
rm -rf "$reports"
mkdir -p "$reports"
status=0
fail() { echo "FAIL: $*"; status=1; }

"$fotacheck" --profile "$profile" --case FU-OBJ-751 --reports "$reports/good" >"$reports/good.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { fail "bootstrapped run: exit $rc, expected 0"; tail -30 "$reports/good.log"; }
python3 - "$reports/good/results.json" <<'PY' || status=1
import json, sys
device = json.load(open(sys.argv[1]))["run"]["device"]
b = device.get("bootstrap")
problems = []
if not b: problems.append("no run.device.bootstrap")
else:
    if b["state"] != "finished": problems.append("state " + b["state"])
    if not b["finish"].startswith("2.04"): problems.append("finish " + b["finish"])
    if b["dm_credentials"] != "per-run" or b["security"] != "PSK": problems.append("security %s/%s" % (b["security"], b["dm_credentials"]))
    if not any(s.startswith('Write /0/1 (0="coaps://') for s in b["steps"]): problems.append("no Write /0/1 step: %s" % b["steps"])
for p in problems: print("FAIL: bootstrap section:", p)
sys.exit(1 if problems else 0)
PY
grep -q "bootstrap: coaps://" "$reports/good/summary.md" || fail "summary.md has no bootstrap line"
grep -q "Bootstrap: finish" "$reports/good/report.html" || fail "report.html has no Bootstrap rows"

# The same over DTLS with X.509 certificates, to the bootstrap server and then to the DM server.
x509_profile="$(dirname "$0")/bootstrap-x509.yaml"
"$fotacheck" --profile "$x509_profile" --case FU-OBJ-751 --case FU-PULL-COAPS-756 --case FU-BOOT-002 \
  --reports "$reports/x509" >"$reports/x509.log" 2>&1
rc=$?
[ $rc -eq 0 ] || { fail "X.509 bootstrapped run: exit $rc, expected 0"; tail -30 "$reports/x509.log"; }
python3 - "$reports/x509/results.json" <<'PY' || status=1
import json, sys
run = json.load(open(sys.argv[1]))
b = run["run"]["device"].get("bootstrap") or {}
problems = []
if (b.get("security"), b.get("dm_security"), b.get("state")) != ("X.509", "X.509", "finished"):
    problems.append("bootstrap %s" % {k: b.get(k) for k in ("security", "dm_security", "state")})
verdicts = {c["id"]: c["verdict"] for c in run["cases"]}
if verdicts != {"FU-OBJ-751": "pass", "FU-PULL-COAPS-756": "pass", "FU-BOOT-002": "pass"}:
    problems.append("verdicts %s" % verdicts)
for p in problems: print("FAIL: X.509 bootstrap:", p)
sys.exit(1 if problems else 0)
PY

# A device with a bootstrap fault: exit 2 and the diagnosis (console and results.json) says it.
#   expect_diagnosis FAULT TEXT [PROFILE]
expect_diagnosis() {
  local fault=$1 text=$2 fault_profile=${3:-$profile} rc
  "$fotacheck" --profile "$fault_profile" --case FU-OBJ-751 --reports "$reports/$fault" \
    --device-arg=--bootstrap-fault "--device-arg=$fault" >"$reports/$fault.log" 2>&1
  rc=$?
  [ $rc -eq 2 ] || fail "--bootstrap-fault $fault: exit $rc, expected 2"
  if ! grep -qF "$text" "$reports/$fault.log" || ! grep -qF "$text" "$reports/$fault/results.json"; then
    fail "--bootstrap-fault $fault: no diagnosis '$text'"
    tail -20 "$reports/$fault.log"
  fi
}
expect_diagnosis reject-finish "Bootstrap failed: Bootstrap-Finish POST /bs answered 4.06"
# The device never registers: the run waits out one registration deadline, so a shorter one than
# the shipped profile's (the bootstrap exchange before it has a deadline of its own, as long).
printf 'include: "%s"\ntiming:\n  register_timeout: 5s\n' "$profile" >"$reports/no-register.yaml"
expect_diagnosis no-register "Bootstrap finished (Bootstrap-Finish answered 2.04), but the device did not register" \
  "$reports/no-register.yaml"

[ $status -eq 0 ] && echo "bootstrap: good runs (PSK, X.509) reported, rejected Finish and missing registration diagnosed"
exit $status
