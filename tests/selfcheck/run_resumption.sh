#!/usr/bin/env bash
# The reference client with --resume-downloads (refclient-resume.yaml) on the resumption matrix
# and the transfer cases a resumption could change: the run passes, every named case is `pass`,
# and the cuts were really resumed (a case that never resumes would pass too: resumption is not
# a MUST), shown by the re-download ratio measurement of the named resumed cases: "N resumes", N >= 1.
#   run_resumption.sh FOTACHECK PROFILE REPORT_DIR RESUMED_ID[,RESUMED_ID...] CASE_ID...
set -uo pipefail
fotacheck=$1 profile=$2 reports=$3 resumed=$4
shift 4
rm -rf "$reports"
args=()
for id in "$@"; do args+=(--case "$id"); done
if ! "$fotacheck" --profile "$profile" --reports "$reports" "${args[@]}" >"$reports.log" 2>&1; then
  echo "the resumption cases against $(basename "$profile") did not pass; log: $reports.log"
  grep -E "^FU-|fotacheck:" "$reports.log" | head -40
  exit 1
fi
python3 - "$reports/results.json" "$resumed" "$@" <<'PY'
import json, re, sys
cases = {c.get("id"): c for c in json.load(open(sys.argv[1]))["cases"]}
status = 0
for id in sys.argv[3:]:
    verdict = cases[id]["verdict"] if id in cases else "absent"
    if verdict not in ("pass", "skipped"):
        print(f"{id}: expected pass, got {verdict}")
        status = 1
for id in sys.argv[2].split(","):
    ratio = [m["value"] for m in cases.get(id, {}).get("measurements", []) if m["name"] == "re-download ratio"]
    resumes = re.search(r"(\d+) resumes", ratio[0]) if ratio else None
    if not resumes or int(resumes.group(1)) < 1:
        print(f"{id}: expected a resumed transfer (\"N resumes\", N >= 1), got {ratio or 'no re-download ratio'}")
        status = 1
sys.exit(status)
PY
