#!/usr/bin/env bash
# `fotacheck report` rebuilds every report from a full run's results.json (the run of each
# shipped reference-client profile), and compares them all as one table.
#   rebuild_reports.sh FOTACHECK OUT_DIR RESULTS.json...
set -uo pipefail
fotacheck=$1 out=$2
shift 2
rm -rf "$out"
mkdir -p "$out"
status=0
i=0
for results in "$@"; do
  i=$((i + 1))
  if [ ! -f "$results" ]; then
    echo "missing $results (its run did not write it)"
    status=1
    continue
  fi
  if ! "$fotacheck" report "$results" --out "$out/$i" >"$out/$i.log" 2>&1; then
    echo "fotacheck report $results failed:"
    cat "$out/$i.log"
    status=1
    continue
  fi
  for f in junit.xml report.html summary.md; do
    [ -s "$out/$i/$f" ] || { echo "$results: no $f rebuilt"; status=1; }
  done
  # Every case of the run is a testcase of the rebuilt JUnit.
  cases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$results")
  testcases=$(grep -c "<testcase " "$out/$i/junit.xml")
  [ "$cases" = "$testcases" ] || { echo "$results: $cases cases, $testcases JUnit testcases"; status=1; }
done
if [ $status -eq 0 ] && ! "$fotacheck" report "$@" --out "$out/comparison" >"$out/comparison.log" 2>&1; then
  echo "comparing the runs failed:"
  cat "$out/comparison.log"
  status=1
fi
[ $status -eq 0 ] && echo "rebuilt and compared the reports of $# runs"
exit $status
