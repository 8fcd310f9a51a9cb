#!/usr/bin/env bash
# results.json and junit.xml stay small with a 1 MiB image: block transfers are summarised
# (first and last blocks in full, the rest counted), so each case adds a bounded number of bytes
# however large the package. Sizes, not times, are checked.
# The file, with its transfer summaries, is also validated against docs/results.schema.json.
#   mebibyte_results_size.sh FOTACHECK BASE_PROFILE OUT_DIR CASE_ID [CASE_ID ...]
set -uo pipefail
fotacheck=$1 base=$2 out=$3
shift 3
rm -rf "$out"
mkdir -p "$out"
cat >"$out/mebibyte.yaml" <<YAML
include: $base
packages:
  image_size: 1048576
YAML
args=()
for id in "$@"; do args+=(--case "$id"); done
"$fotacheck" --profile "$out/mebibyte.yaml" --reports "$out/run" "${args[@]}" >"$out/run.log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
  echo "the 1 MiB run did not pass (exit $status); log: $out/run.log"
  tail -20 "$out/run.log"
  exit 1
fi
python3 - "$out/run/results.json" "$out/run/junit.xml" "$#" <<'PY'
import json, os, sys
results, junit, cases = sys.argv[1], sys.argv[2], int(sys.argv[3])
# Per case: the head, metadata, timeline, first and last blocks (256 B of payload each, kept
# as hex) and the summary fit in far less than this; the whole 1 MiB image as hex is 2 MiB.
per_case = 64 * 1024
bound = 32 * 1024 + cases * per_case
doc = json.load(open(results))
summarised = [e["transfer"] for c in doc["cases"] for e in c["trace"] if "transfer" in e]
moved = sum(t["payload_bytes"] for t in summarised)
problems = []
if len(doc["cases"]) != cases:
    problems.append(f"{len(doc['cases'])} cases in results.json, expected {cases}")
if moved < cases * 1000 * 1024:
    problems.append(f"the summaries count {moved} payload bytes: not a 1 MiB transfer per case")
for name in (results, junit):
    size = os.path.getsize(name)
    print(f"{os.path.basename(name)}: {size} bytes for {cases} cases (bound {bound})")
    if size > bound:
        problems.append(f"{name} is {size} bytes, above {bound}")
print(f"{len(summarised)} transfer summaries, {moved} payload bytes left out")
for p in problems:
    print("problem:", p)
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] || exit 1
python3 "$(dirname "$0")/../evidence/validate_results.py" "$(dirname "$0")/../../docs/results.schema.json" "$out/run/results.json"
