#!/bin/bash
# The console a person reads: one line per case (id, verdict, time, the headline when not a
# pass), no GoogleTest printer lines, then the verdict counts and where the reports are; a
# status line redrawn in place only on a terminal, never under CI=true.
#   console_output.sh FOTACHECK PLAIN_PROFILE WORK_DIR
set -u
fotacheck=$1 profile=$2 work=$3
fail() { echo "FAIL: $*"; echo "--- console:"; cat -A "$out" | head -40; exit 1; }
rm -rf "$work" && mkdir -p "$work"
out=$work/console.txt

# 1. A log (no terminal, CI=true): a pass and a skip (object 1.1 is not in the plain profile).
CI=true "$fotacheck" --profile "$profile" --reports "$work/plain" --case FU-OBJ-751 --case FU-V11-SEV-01 >"$out" 2>&1
status=$?
[ "$status" -eq 0 ] || fail "exit status $status, expected 0"
[ "$(grep -c '^FU-OBJ-751 ' "$out")" -eq 1 ] || fail "FU-OBJ-751 is not on exactly one line"
grep -qE '^FU-OBJ-751 +pass +[0-9]+\.[0-9]{2}s$' "$out" || fail "no 'FU-OBJ-751  pass  N.NNs' line"
[ "$(grep -c 'FU-V11-SEV-01' "$out")" -eq 1 ] || fail "FU-V11-SEV-01 is not on exactly one line"
grep -qE '^FU-V11-SEV-01 +skipped +[0-9.]+s  the device does not declare object /5 version 1.1' "$out" \
  || fail "the skipped case's line does not give its reason"
grep -qE '\[ +(RUN|OK|SKIPPED|PASSED|FAILED) +\]|\[==========\]|\[----------\]' "$out" && fail "GoogleTest's printer lines are on the console"
grep -q 'fota_case.cpp' "$out" && fail "a source location (fota_case.cpp) is on the console"
grep -q $'\r' "$out" && fail "a redrawn status line (carriage return) in a log"
grep -q '^fotacheck: 2 cases selected; profile ' "$out" || fail "no 'N cases selected' line"
grep -q '^fotacheck: 1 passed, 0 failed (1 pass, 0 non-strict, 0 info; 1 skipped, 0 not-tested, 0 inconclusive)$' "$out" \
  || fail "no verdict counts at the end"
tail -n 1 "$out" | grep -q "^reports written to $work/plain (results.json, junit.xml, report.html, summary.md, pcap/)$" \
  || fail "the last line does not say where the reports are"

# 2. --verbose keeps GoogleTest's printer for whoever debugs the suite itself.
CI=true "$fotacheck" --profile "$profile" --reports "$work/verbose" --case FU-OBJ-751 --verbose >"$out" 2>&1
grep -q '\[ RUN      \] ' "$out" || fail "--verbose does not show GoogleTest's lines"

# 3. On a terminal (script(1) gives the run one), the status line names the case that runs.
if command -v script >/dev/null; then
  env -u CI script -qec "$fotacheck --profile $profile --reports $work/tty --case FU-OBJ-751" "$work/typescript" >"$out" 2>&1
  grep -qF $'\r\x1b[K[1/1] FU-OBJ-751 running' "$out" || fail "no status line on a terminal"
  grep -qE '^FU-OBJ-751 +pass' <(tr '\r' '\n' <"$out" | sed 's/\x1b\[K//g') || fail "no case line on a terminal"
  # The same terminal under CI=true: plain lines.
  CI=true script -qec "$fotacheck --profile $profile --reports $work/tty-ci --case FU-OBJ-751" "$work/typescript" >"$out" 2>&1
  grep -qF '[1/1]' "$out" && fail "a status line under CI=true"
fi
echo "console: one line per case, counts and the report folder; a status line only on a terminal"
exit 0
