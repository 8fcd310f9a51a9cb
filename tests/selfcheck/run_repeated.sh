#!/usr/bin/env bash
# Self-validation against the correct reference client: every run passes (exit 0), every run
# gives the same verdict for every case, and no case is skipped (the default profile declares
# everything the client can do: the README's first run shows the whole catalogue).
#   run_repeated.sh FOTACHECK REPORT_DIR RUNS
set -uo pipefail
fotacheck=$1 reports=$2 runs=$3
rm -rf "$reports"
for i in $(seq 1 "$runs"); do
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
  if [ "$i" -gt 1 ] && ! diff -u "$reports/verdicts-1.txt" "$reports/verdicts-$i.txt"; then
    echo "run $i gave other verdicts than run 1"
    exit 1
  fi
done
echo "$runs runs against the reference client: $(wc -l <"$reports/verdicts-1.txt") cases, none skipped, identical verdicts, exit 0"
