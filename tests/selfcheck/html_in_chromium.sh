#!/usr/bin/env bash
# The HTML report of a failing run, as headless Chromium renders it: the verdict banner says
# "Not conformant", the message that broke the rule is a marked row with an id that the failure
# list links to and that the page's script scrolled into view. Screenshots stay in OUT_DIR.
#   html_in_chromium.sh FOTACHECK OUT_DIR
# Exit 77 (CTest SKIP_RETURN_CODE) when Chromium is absent: skipped, never passed.
set -uo pipefail
fotacheck=$1 out=$2
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "skipped: $chromium is absent (scripts/setup --with reports installs it)"
  exit 77
fi
rm -rf "$out"
mkdir -p "$out"
# update-in-idle answers Execute Update in Idle with 2.04 Changed: FU-SM-772 (a MUST) fails.
"$fotacheck" --reports "$out/run" --device-arg=--mutant --device-arg=update-in-idle --case FU-SM-772 >"$out/run.log" 2>&1
status=$?
if [ "$status" -ne 1 ]; then
  echo "expected exit 1 (a MUST case failed), got $status; log: $out/run.log"
  tail -20 "$out/run.log"
  exit 1
fi
report="$out/run/report.html"
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
       --disable-sync --no-first-run "--user-data-dir=$out/chromium-profile")
timeout 120 "$chromium" "${flags[@]}" --dump-dom "file://$report" >"$out/dom.html" 2>"$out/chromium-dom.log" || {
  echo "chromium --dump-dom failed; see $out/chromium-dom.log"; tail -5 "$out/chromium-dom.log"; exit 1; }
python3 - "$out/dom.html" "$out/marked-id" <<'PY' || exit 1
import re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
problems = []
banner = re.search(r'<div class="verdict-banner ([^"]*)" id="verdict">(.*?)</table></div>', dom, re.S)
if not banner:
    problems.append("no verdict banner (div#verdict)")
else:
    if banner.group(1) != "not-conformant":
        problems.append(f"banner class is {banner.group(1)!r}, expected not-conformant")
    if "Not conformant" not in banner.group(2):
        problems.append("banner does not say Not conformant")
    if 'data-level="MUST"' not in banner.group(2):
        problems.append("banner has no MUST row of counts")
    if dom.find('id="verdict"') > dom.find("Device and run"):
        problems.append("device metadata comes before the verdict")
row = re.search(r'<tr class="[^"]*\bmarked\b[^"]*" id="(case-FU-SM-772-msg-\d+)">(.*?)</tr>', dom, re.S)
if not row:
    problems.append("no marked message row in FU-SM-772")
else:
    mid, text = row.groups()
    if "2.04" not in text:
        problems.append(f"the marked row is not the 2.04 Changed answer: {re.sub('<[^>]+>', '', text)[:200]}")
    if f'href="#{mid}"' not in dom:
        problems.append("the failure list does not link to the marked row")
    if f'data-scrolled-to="{mid}"' not in dom:
        problems.append("the script did not scroll the marked row into view (no data-scrolled-to)")
    open(sys.argv[2], "w").write(mid)
    if dom.find(f'href="#{mid}"') > dom.find('id="verdict"') and dom.find(f'href="#{mid}"') < dom.find("Device and run"):
        pass
    else:
        problems.append("the failure with its link is not between the banner and the device metadata")
for p in problems:
    print("report.html in Chromium:", p)
if not problems:
    print(f"banner 'Not conformant' and marked row #{row.group(1)} found in the rendered DOM")
sys.exit(1 if problems else 0)
PY
marked=$(cat "$out/marked-id")
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,1400 "--screenshot=$out/report-top.png" "file://$report" \
  >/dev/null 2>"$out/chromium-shot.log"
# The whole page, down to the case's message sequence with the marked row (a fragment URL
# scrolls headless Chromium's screenshot off the page, so a tall window instead).
timeout 120 "$chromium" "${flags[@]}" --window-size=1280,4000 "--screenshot=$out/report-full.png" \
  "file://$report" >/dev/null 2>>"$out/chromium-shot.log"
for shot in "$out/report-top.png" "$out/report-full.png"; do
  size=$(stat -c %s "$shot" 2>/dev/null || echo 0)
  # A blank page compresses to a few kB; the banner, tables and text do not.
  if [ "$size" -lt 20000 ]; then
    echo "screenshot $shot missing or blank ($size bytes); see $out/chromium-shot.log"
    exit 1
  fi
done
echo "marked message: #$marked; screenshots: $out/report-top.png $out/report-full.png"
