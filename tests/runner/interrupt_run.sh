#!/bin/sh
# Starts fotacheck against the reference client, waits until results.json holds a case, sends
# SIGNAL (COUNT times), and checks how the run ended: the documented exit status, every report
# written and saying so, and no device process left behind.
#   interrupt_run.sh FOTACHECK REPORTS_DIR SIGNAL(INT|TERM) EXPECTED_STATUS [COUNT]
set -u
fotacheck=$1 reports=$2 signal=$3 expected=$4 count=${5:-1}
rm -rf "$reports" && mkdir -p "$reports"
fail() { echo "FAIL: $*"; echo "--- stderr:"; cat "$reports.stderr"; exit 1; }

"$fotacheck" --reports "$reports" >"$reports.stdout" 2>"$reports.stderr" &
pid=$!
endpoint="refclient-$pid"   # refclient.yaml: endpoint "refclient-{run}", {run} = the runner's pid

# Bounded wait for the first finished case (the refclient registers in well under a second).
tries=0
until [ -f "$reports/results.json" ] && grep -q '"verdict"' "$reports/results.json"; do
  tries=$((tries + 1))
  [ $tries -le 1200 ] || { kill -KILL $pid; fail "no case finished within 120 s"; }
  kill -0 $pid 2>/dev/null || fail "fotacheck ended before any case finished"
  sleep 0.1
done
pgrep -f -- "--endpoint $endpoint " >/dev/null || fail "no device process with endpoint $endpoint while the run went on"

i=0
while [ $i -lt "$count" ]; do kill -"$signal" $pid; i=$((i + 1)); sleep 0.2; done

# Bounded wait for the runner to end (a test timeout, not a speed assertion).
tries=0
while kill -0 $pid 2>/dev/null; do
  tries=$((tries + 1))
  [ $tries -le 600 ] || { kill -KILL $pid; fail "fotacheck still running 60 s after SIG$signal"; }
  sleep 0.1
done
wait $pid
status=$?
cat "$reports.stderr"

left=$(pgrep -f -- "--endpoint $endpoint ")
if [ -n "$left" ]; then
  kill -KILL $left
  fail "device process(es) $left left running after the runner ended"
fi
[ "$status" -eq "$expected" ] || fail "exit status $status, expected $expected"
grep -q '"complete": false' "$reports/results.json" || fail "results.json does not say complete: false"
if [ "$count" -eq 1 ]; then
  for f in junit.xml summary.md report.html; do [ -s "$reports/$f" ] || fail "$f was not written"; done
  grep -q "\"interrupted_by\": \"SIG$signal\"" "$reports/results.json" || fail "results.json does not name SIG$signal"
  head -n 1 "$reports/summary.md" | grep -q "interrupted by SIG$signal" || fail "summary.md's first line does not say interrupted"
  grep -q "interrupted by SIG$signal; reports written to" "$reports.stderr" || fail "stderr does not say where the reports are"
  # The case cut short and the ones not reached are never a pass after the signal.
  grep -q "not run: the run was interrupted by SIG$signal" "$reports/results.json" || fail "the cases not reached are not recorded as not run"
  # A stopping run sends the device nothing more: a polling case once kept sending a Read per
  # round, unanswered, until libcoap ran out of message IDs ("mid=...: already in-use").
  ! grep -q "already in-use" "$reports.stderr" || fail "the run kept sending requests after SIG$signal (libcoap: message ID already in use)"
fi
echo "PASS: SIG$signal x$count -> exit $status, reports in $reports, no device left"
