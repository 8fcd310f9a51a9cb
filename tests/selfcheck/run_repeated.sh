#!/usr/bin/env bash
# Self-validation against the correct reference client: the run passes (exit 0), no case is
# skipped (the default profile declares everything the client can do: the README's first run
# shows the whole catalogue), and every run after the first gives run 1's verdict for every case.
#   run_repeated.sh FOTACHECK REPORT_DIR RUN
# Each run is its own CTest test (Selfcheck.ReferenceClientPasses makes run 1,
# Selfcheck.ReferenceClientPassesRepeatedly run 2), so the tests that read run 1 start as soon as
# it is done instead of after both runs.
set -uo pipefail
fotacheck=$1 reports=$2 i=$3
rm -rf "$reports/run-$i" "$reports/verdicts-$i.txt"
if [ "$i" -gt 1 ] && [ ! -s "$reports/verdicts-1.txt" ]; then
  echo "no run 1 to compare with: $reports/verdicts-1.txt is missing (Selfcheck.ReferenceClientPasses makes it)"
  exit 1
fi
mkdir -p "$reports"
if ! "$fotacheck" --reports "$reports/run-$i" >"$reports-run-$i.log" 2>&1; then
  echo "run $i against the reference client did not pass; log: $reports-run-$i.log"
  grep -E "FAILED|Failure|expected" "$reports-run-$i.log" | head -40
  exit 1
fi
python3 - "$reports/run-$i/results.json" >"$reports/verdicts-$i.txt" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["cases"]:
    print(c.get("id", "?"), c["verdict"])
PY
if grep -q ' skipped$' "$reports/verdicts-$i.txt"; then
  echo "run $i skipped cases, though the default profile declares every capability of the reference client:"
  grep ' skipped$' "$reports/verdicts-$i.txt"
  exit 1
fi
same=""
if [ "$i" -gt 1 ]; then
  if ! diff -u "$reports/verdicts-1.txt" "$reports/verdicts-$i.txt"; then
    echo "run $i gave other verdicts than run 1"
    exit 1
  fi
  same=", the verdicts of run 1"
fi
echo "run $i against the reference client: $(wc -l <"$reports/verdicts-$i.txt") cases, none skipped$same, exit 0"
