#!/usr/bin/env python3
# One line per case of a results.json, "ID VERDICT", sorted by id: what two runs compare.
#   verdicts_by_id.py RESULTS_JSON
import json
import sys

for case in sorted(json.load(open(sys.argv[1]))["cases"], key=lambda c: c.get("id", "?")):
    print(case.get("id", "?"), case["verdict"])
