#!/usr/bin/env bash
# The whole catalogue against the reference client in one security mode or transport: the run
# passes (exit 0) and each named case has the verdict `pass` (a skip would hide the mode).
#   [SECRET=hex] [SECRET_IDENTITY=text] [SAME_VERDICTS_AS=results.json] run_mode.sh FOTACHECK PROFILE REPORT_DIR CASE_ID...
# SAME_VERDICTS_AS: every case must also get the verdict it got in that run (the plain run of
# the profile this one varies); when that file is absent (the test run alone) this is skipped.
# SAME_VERDICTS_SCOPE=shared: only the cases neither run skipped are compared (profiles that
# declare different capabilities).
set -uo pipefail
fotacheck=$1 profile=$2 reports=$3
shift 3
rm -rf "$reports"
if ! "$fotacheck" --profile "$profile" --reports "$reports" >"$reports.log" 2>&1; then
  echo "the catalogue against $(basename "$profile") did not pass; log: $reports.log"
  grep -E "FAILED|Failure|expected|refused|fotacheck:" "$reports.log" | head -40
  exit 1
fi
status=0
for id in "$@"; do
  verdict=$(python3 - "$reports/results.json" "$id" <<'PY'
import json, sys
cases = [c for c in json.load(open(sys.argv[1]))["cases"] if c.get("id") == sys.argv[2]]
print(cases[0]["verdict"] if cases else "absent")
PY
)
  if [ "$verdict" != pass ]; then
    echo "$id: expected pass with $(basename "$profile"), got $verdict"
    status=1
  fi
done
# SECRET (a key's hex) must appear in no report, trace, capture or device log of the run, nor
# in what fotacheck printed. SECRET_IDENTITY (the PSK identity) neither, except in what the
# device itself wrote (its own log, copied to device.log, is the device's business, not the
# suite's; the lines fotacheck adds there, marked [fotacheck], are checked).
if [ -n "${SECRET:-}" ]; then
  leaked=$(grep -r -l -i -F "$SECRET" "$reports" "$reports.log")
  if [ -n "$leaked" ]; then
    echo "the secret key appears in: $leaked"
    status=1
  fi
fi
if [ -n "${SECRET_IDENTITY:-}" ]; then
  leaked=$(grep -r -l -F --exclude=device.log "$SECRET_IDENTITY" "$reports"
           grep -l -F "$SECRET_IDENTITY" "$reports.log"
           grep -h -F '[fotacheck]' "$reports/device.log" 2>/dev/null | grep -F "$SECRET_IDENTITY" | head -3)
  if [ -n "$leaked" ]; then
    echo "the PSK identity appears in: $leaked"
    status=1
  fi
fi
if [ -n "${SAME_VERDICTS_AS:-}" ]; then
  if [ -f "$SAME_VERDICTS_AS" ]; then
    verdicts="$(dirname "$0")/verdicts_by_id.py"
    python3 "$verdicts" "$SAME_VERDICTS_AS" >"$reports.plain-verdicts.txt"
    python3 "$verdicts" "$reports/results.json" >"$reports.verdicts.txt"
    if [ "${SAME_VERDICTS_SCOPE:-all}" = shared ]; then
      # A profile that declares other capabilities skips other cases (each run lists its own
      # skips): compare the cases both runs ran.
      awk 'NR == FNR { if ($2 != "skipped") ran[$1] = 1; next } $2 != "skipped" && ran[$1] { print $1 }' \
        "$reports.plain-verdicts.txt" "$reports.verdicts.txt" >"$reports.shared.txt"
      for side in plain-verdicts verdicts; do
        awk 'NR == FNR { keep[$1] = 1; next } keep[$1]' "$reports.shared.txt" "$reports.$side.txt" >"$reports.$side.tmp"
        mv "$reports.$side.tmp" "$reports.$side.txt"
      done
      echo "comparing the $(wc -l <"$reports.shared.txt") cases both runs ran"
    fi
    if ! diff -u "$reports.plain-verdicts.txt" "$reports.verdicts.txt"; then
      echo "$(basename "$profile") gave other verdicts than the plain run $SAME_VERDICTS_AS"
      status=1
    fi
  else
    echo "note: no plain run at $SAME_VERDICTS_AS to compare verdicts with (run it first); compared nothing"
  fi
fi
[ $status -eq 0 ] && echo "$(basename "$profile"): exit 0; $* pass"
exit $status
