#!/bin/bash
# --list in three formats from the one metadata table, --case with wildcards, did-you-mean for a
# mistyped id, and a selection that runs no case is the configuration status 2.
#   selection_and_list.sh FOTACHECK WORK_DIR
set -u
fotacheck=$1 work=$2
fail() { echo "FAIL: $*"; [ -f "$work/out.txt" ] && cat "$work/out.txt"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

"$fotacheck" --list >plain.txt || fail "--list failed"
total=$(tail -n 1 plain.txt | awk '{print $1}')
"$fotacheck" --list --format json >list.json || fail "--list --format json failed"
python3 - list.json "$total" <<'PY' || fail "--list --format json is not the catalogue"
import json, sys
cases = json.load(open(sys.argv[1]))
assert len(cases) == int(sys.argv[2]), f"{len(cases)} cases in JSON, {sys.argv[2]} in plain"
keys = {"id", "area", "name", "title", "level", "ets", "clause", "requirement", "needs", "faults", "acts_in"}
for c in cases:
    assert set(c) == keys, f"{c.get('id')}: keys {sorted(c)}"
    assert c["level"] in ("MUST", "SHOULD", "INFO") and c["requirement"], c["id"]
assert any(c["id"] == "FU-RES-776-PULL" and c["ets"] == 776 for c in cases), "FU-RES-776-PULL with ETS 776"
acting = [c["id"] for c in cases if c["acts_in"]]
assert "FU-SM-WRITE-UPD" in acting and all(p == "a long State 3 (Updating)" for c in cases for p in c["acts_in"]), f"acts_in: {acting}"
assert not next(c for c in cases if c["id"] == "FU-RES-776-PULL")["acts_in"], "FU-RES-776-PULL acts in no phase"
PY
"$fotacheck" --list --format markdown --case 'FU-PUSH-*' >list.md || fail "--list --format markdown failed"
grep -q '^| FU-PUSH-' list.md || fail "no FU-PUSH- row in the Markdown list"
grep '^| FU-' list.md | grep -qv '^| FU-PUSH-' && fail "the Markdown list holds a case the wildcard does not match"
"$fotacheck" --list --case 'fu-push-*' --case FU-OBJ-751 >some.txt || fail "--list --case failed"
grep -qE '^FU-OBJ-751 ' some.txt || fail "the exact id was not listed"
[ "$(grep -cE '^FU-PUSH-' some.txt)" -gt 1 ] || fail "the wildcard (lower case) selected fewer than two FU-PUSH- cases"
grep -E '^FU-' some.txt | grep -vqE '^(FU-PUSH-|FU-OBJ-751 )' && fail "a case outside the selection was listed"

"$fotacheck" --case FU-RES-777-PULL --reports typo >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] || fail "a mistyped id: exit $status, expected 2"
grep -q "no case has the id 'FU-RES-777-PULL'; did you mean FU-RES-776-PULL" out.txt || fail "no did-you-mean"
grep -q 'starting the device' out.txt && fail "the device was started for a mistyped id"
"$fotacheck" --case 'FU-NOPE-*' >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] && grep -q "no case id matches 'FU-NOPE-\*'" out.txt || fail "a wildcard that matches nothing: exit $status"
"$fotacheck" --list --format yaml >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] && grep -q "expected one of plain, json, markdown, got 'yaml'" out.txt || fail "an unknown format: exit $status"
"$fotacheck" --format json >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] && grep -q -- "--format applies to --list only" out.txt || fail "--format without --list: exit $status"
# A --gtest_filter that selects nothing: no device, exit 2, said so; with --case it is refused.
"$fotacheck" --gtest_filter='FU*' --reports none >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] && grep -q 'the selection runs no case (--gtest_filter=FU\*)' out.txt || fail "an empty selection: exit $status"
grep -q 'starting the device' out.txt && fail "the device was started for an empty selection"
"$fotacheck" --case FU-OBJ-751 --gtest_filter='Nothing.*' >out.txt 2>&1; status=$?
[ "$status" -eq 2 ] && grep -q -- "--case and --gtest_filter both select cases" out.txt || fail "--case with --gtest_filter: exit $status"
echo "--list formats, wildcards, did-you-mean and the empty selection behave"
exit 0
