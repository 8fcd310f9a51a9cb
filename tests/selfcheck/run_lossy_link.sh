#!/usr/bin/env bash
# Transfer cases under a lossy-link preset (timing.link) against the reference client: each
# named case records its radio cost, and the figures are plausible for a link that loses
# datagrams: retransmissions, more bytes on the wire than in the image, more datagrams than
# round trips. No timing is asserted.
#   run_lossy_link.sh FOTACHECK PROFILE REPORT_DIR CASE_ID...
set -uo pipefail
fotacheck=$1 reports=$3
run=(--profile "$2" --reports "$reports")
shift 3
for id in "$@"; do run+=(--case "$id"); done
rm -rf "$reports"
"$fotacheck" "${run[@]}" >"$reports.log" 2>&1
status=$?
if [ ! -f "$reports/results.json" ]; then
  echo "the run wrote no results.json (exit $status); log: $reports.log"
  tail -20 "$reports.log"
  exit 1
fi
python3 - "$reports/results.json" "$reports/summary.md" "$@" <<'PY'
import json, re, sys
path, summary, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
cases = {c.get("id"): c for c in json.load(open(path))["cases"]}
wrong = []
for case_id in ids:
    case = cases.get(case_id)
    if case is None:
        wrong.append(f"{case_id}: not in the run")
        continue
    figures = {m["name"][len("radio (pull): "):]: m["value"] for m in case.get("measurements", [])
               if m["name"].startswith("radio (pull): ")}
    print(f"{case_id} ({case['verdict']}): " + "; ".join(f"{k} = {v}" for k, v in figures.items()))
    def number(name):
        match = re.match(r"[0-9.]+", figures.get(name, ""))
        return float(match.group(0)) if match else None
    checks = [
        ("retransmissions > 0 on a link that loses one datagram in ten", (number("retransmissions") or 0) > 0),
        ("CoAP bytes per firmware byte > 1", (number("CoAP bytes per firmware byte") or 0) > 1),
        ("UDP/IP bytes per firmware byte > CoAP bytes per firmware byte",
         (number("UDP/IP bytes per firmware byte") or 0) > (number("CoAP bytes per firmware byte") or 0)),
        ("datagrams > round trips", (number("datagrams") or 0) > (number("round trips") or 0)),
        ("re-download ratio >= 1", (number("re-download ratio") or 0) >= 1),
        ("time to Downloaded measured", figures.get("time to Downloaded", "").endswith(" ms")),
    ]
    wrong += [f"{case_id}: {what} (figures: {figures})" for what, ok in checks if not ok]
text = open(summary).read()
if "### Radio cost of the transfers" not in text:
    wrong.append("summary.md has no radio-cost table")
if wrong:
    print("\n".join(wrong))
    sys.exit(1)
PY
