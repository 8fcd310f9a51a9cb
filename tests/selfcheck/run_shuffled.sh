#!/usr/bin/env bash
# Self-validation of case isolation: the whole catalogue against the reference client in a
# shuffled order (GoogleTest's --gtest_shuffle with a recorded seed) passes and gives every
# case the verdict the unshuffled run gave it. A verdict that depends on which case ran before
# is a leak between cases (an install still pending, a version left behind).
#   run_shuffled.sh FOTACHECK REPORT_DIR SEED UNSHUFFLED_RESULTS_JSON
set -uo pipefail
fotacheck=$1 reports=$2 seed=$3 unshuffled=$4
rm -rf "$reports"
if [ ! -f "$unshuffled" ]; then
  echo "no unshuffled run to compare with: $unshuffled is missing (Selfcheck.ReferenceClientPasses makes it)"
  exit 1
fi
if ! "$fotacheck" --reports "$reports" --gtest_shuffle "--gtest_random_seed=$seed" >"$reports.log" 2>&1; then
  echo "the shuffled run (seed $seed) against the reference client did not pass; log: $reports.log"
  grep -E "FAILED|Failure|expected" "$reports.log" | head -40
  exit 1
fi
verdicts="$(dirname "$0")/verdicts_by_id.py"
python3 "$verdicts" "$unshuffled" >"$reports.unshuffled.txt"
python3 "$verdicts" "$reports/results.json" >"$reports.shuffled.txt"
if ! diff -u "$reports.unshuffled.txt" "$reports.shuffled.txt"; then
  echo "the shuffled run (seed $seed) gave other verdicts than the unshuffled one"
  exit 1
fi
echo "shuffled run (seed $seed): $(wc -l <"$reports.shuffled.txt") cases, the unshuffled run's verdicts, exit 0"
