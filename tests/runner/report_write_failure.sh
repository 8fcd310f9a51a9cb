#!/bin/sh
# A report that cannot be written (here: summary.md leads to /dev/full, a full disk even for
# root) is an environment error, exit 2 naming the file and the reason, never a device verdict.
#   report_write_failure.sh FOTACHECK REPORTS_DIR
set -u
fotacheck=$1 reports=$2
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$reports" && mkdir -p "$reports"
ln -s /dev/full "$reports/summary.md"
"$fotacheck" --reports "$reports" --case FU-OBJ-751 >"$reports.stdout" 2>"$reports.stderr"
status=$?
cat "$reports.stderr"
[ "$status" -eq 2 ] || fail "exit status $status, expected 2"
grep -q "summary.md.*No space left on device" "$reports.stderr" || fail "stderr does not name summary.md and the reason"
grep -q "not a device verdict" "$reports.stderr" || fail "stderr does not say it is an environment error"
[ -L "$reports/summary.md" ] || fail "the symlink was replaced"
grep -q '"verdict":"pass"' "$reports/results.json" || fail "the case itself was not judged on its own merits"
echo "PASS"
