#!/usr/bin/env bash
# Self-validation against one legal variant of the reference client (issue 15): the whole
# catalogue runs, and every MUST case passes, or is skipped or not-tested with a reason. A MUST
# case that fails a variant fails a conforming device: the case is wrong, not the variant.
#   run_variant.sh FOTACHECK REPORT_DIR VARIANT [REFCLIENT_ARG ...]
# REFCLIENT_ARGs are more refclient arguments for this run (variants.txt args=).
# PROFILE (environment, optional): the device profile to run; the runner's default otherwise.
set -uo pipefail
fotacheck=$1 reports=$2 variant=$3
shift 3
rm -rf "$reports"
args=(--device-arg=--variant "--device-arg=$variant")
for arg in "$@"; do args+=("--device-arg=$arg"); done
if [ -n "${PROFILE:-}" ]; then args+=(--profile "$PROFILE"); fi
"$fotacheck" --reports "$reports" "${args[@]}" >"$reports.log" 2>&1
status=$?
if [ ! -f "$reports/results.json" ]; then
  echo "variant $variant: the run wrote no results.json (exit $status); log: $reports.log"
  tail -20 "$reports.log"
  exit 1
fi
python3 - "$reports/results.json" "$variant" <<'PY'
import json, sys
path, variant = sys.argv[1], sys.argv[2]
doc = json.load(open(path))
wrong = []
if not doc.get("complete", False):
    wrong.append("the run did not complete")
must = [c for c in doc["cases"] if c.get("level") == "MUST"]
for c in must:
    verdict, reason = c["verdict"], (c.get("reason") or "").strip()
    if verdict == "pass" or (verdict in ("skipped", "not-tested") and reason):
        continue
    failures = c.get("failures") or []
    why = (failures[0] if failures else reason) or "no reason given"
    wrong.append(f"{c.get('id', '?')} {verdict}: {' | '.join(why.splitlines()[:2])}")
if wrong:
    print(f"variant {variant}: {len(wrong)} MUST case(s) not passed ({path}):")
    for line in wrong:
        print("  " + line)
    sys.exit(1)
print(f"variant {variant}: all {len(must)} MUST cases passed or were skipped with a reason")
PY
