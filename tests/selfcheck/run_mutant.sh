#!/usr/bin/env bash
# Self-validation against one reference-client mutant: the cases whose clause the mutant
# violates are run, and at least one of them must fail (never pass, never be skipped); the
# failing run's junit.xml, summary.md and report.html hold no GoogleTest text ("Value of:",
# "Which is:", "Actual:").
#   run_mutant.sh FOTACHECK REPORT_DIR MUTANT CASE_ID [CASE_ID ...]
# PROFILE (environment, optional): the device profile to run, e.g. the object-1.1 refclient;
# the runner's default profile otherwise. SHUFFLE_SEED (environment, optional): the cases run
# in GoogleTest's shuffled order with that seed (a catch must not depend on the order).
set -uo pipefail
fotacheck=$1 reports=$2 mutant=$3
shift 3
rm -rf "$reports"
args=()
for id in "$@"; do args+=(--case "$id"); done
if [ -n "${PROFILE:-}" ]; then args+=(--profile "$PROFILE"); fi
if [ -n "${SHUFFLE_SEED:-}" ]; then args+=(--gtest_shuffle "--gtest_random_seed=$SHUFFLE_SEED"); fi
"$fotacheck" --reports "$reports" --device-arg=--mutant "--device-arg=$mutant" "${args[@]}" >"$reports.log" 2>&1
status=$?
if [ "$status" -eq 2 ]; then
  echo "mutant $mutant: the run could not be made (exit 2); log: $reports.log"
  tail -20 "$reports.log"
  exit 1
fi
failed=$(python3 - "$reports/results.json" <<'PY'
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
print(" ".join(c.get("id", "?") for c in cases if c["verdict"] in ("fail", "non-strict")))
PY
)
# A failing run's reports speak protocol, never GoogleTest: none of its assertion text may
# reach what a customer reads.
leaked=$(grep -lE 'Value of:|Which is:|Actual:' "$reports/junit.xml" "$reports/summary.md" "$reports/report.html" 2>&1)
if [ -n "$leaked" ]; then
  echo "mutant $mutant: GoogleTest text reached the reports:"
  grep -nE 'Value of:|Which is:|Actual:' "$reports/junit.xml" "$reports/summary.md" "$reports/report.html" | cut -c1-300 | head -10
  exit 1
fi
for id in "$@"; do
  case " $failed " in
    *" $id "*) echo "mutant $mutant caught by $id (failed: $failed; exit $status); no GoogleTest text in its reports"; exit 0 ;;
  esac
done
echo "mutant $mutant: none of the expected cases ($*) failed${SHUFFLE_SEED:+ (shuffled, seed $SHUFFLE_SEED)}; failed were: ${failed:-none}"
grep -E "FAILED|OK \]|SKIPPED" "$reports.log" | head -20
exit 1
