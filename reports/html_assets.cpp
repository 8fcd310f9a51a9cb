#include "reports/html_assets.h"

namespace fc::reports {

const char* const kReportCss = R"css(
:root { --pass:#1e7b34; --fail:#b3261e; --warn:#8a6100; --skip:#5f6368; --info:#1f5fa8; --line:#d0d4da; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color:#1b1f24;
       margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0; }
code, pre, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
.identity td:first-child { width: 220px; color: #4a5560; }
.verdict-banner { border: 2px solid var(--skip); border-radius: 6px; padding: 10px 14px; margin: 12px 0; background: #f3f5f7; }
.verdict-banner.conformant { border-color: var(--pass); background: #e6f4ea; }
.verdict-banner.not-conformant { border-color: var(--fail); background: #fdecea; }
.verdict-banner.not-judged { border-color: #7a4fa0; background: #f3eef8; }
.verdict-words { font-size: 26px; font-weight: 700; }
.verdict-banner.conformant .verdict-words { color: var(--pass); } .verdict-banner.not-conformant .verdict-words { color: var(--fail); }
.verdict-banner.not-judged .verdict-words { color: #7a4fa0; }
.verdict-why { margin: 2px 0 8px; }
.level-counts { width: auto; background: #fff; } .level-counts td { text-align: right; min-width: 48px; } .level-counts td.zero { color: #b0b5ba; }
ul.failures { padding-left: 18px; } ul.failures > li { margin: 6px 0; } ul.failures .headline { font-weight: 600; }
.banner { background: #fff4d6; border: 1px solid #e0b64c; padding: 8px 12px; margin: 12px 0; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 96px; }
.count b { display: block; font-size: 20px; }
.v { display: inline-block; padding: 0 7px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.v-pass { background: var(--pass); } .v-fail { background: var(--fail); } .v-non-strict { background: var(--warn); }
.v-info { background: var(--info); } .v-skipped, .v-not-tested { background: var(--skip); } .v-inconclusive { background: #7a4fa0; }
.v-error { background: #6d1b16; }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
.filters label { margin-right: 10px; white-space: nowrap; }
.grid td, .grid th { text-align: center; min-width: 64px; }
.grid td.hit { background: #dcefe0; } .grid td.illegal { background: #e4e6e9; color: #80868b; }
.grid td.illegal.hit { background: #f8d7d4; color: #1b1f24; }
.grid .cases { display: block; font-size: 11px; color: #34404c; }
.grid .step { display: block; font-size: 11px; font-weight: 600; margin-top: 2px; }
.case { border: 1px solid var(--line); border-left: 6px solid var(--skip); border-radius: 4px; padding: 10px 14px; margin: 14px 0; }
.case.verdict-pass { border-left-color: var(--pass); } .case.verdict-fail { border-left-color: var(--fail); }
.case.verdict-non-strict { border-left-color: var(--warn); } .case.verdict-info { border-left-color: var(--info); }
.case .meta { color: #4a5560; margin: 4px 0 8px; }
.observed { background: #fdf1f0; border: 1px solid #f0c4bf; padding: 6px 8px; }
.sequence { position: relative; max-height: 26em; overflow: auto; border: 1px solid var(--line); }
.sequence:has(tr.marked) { max-height: 40em; }
.sequence tr.marked td { background: #ffe08a !important; border-top: 2px solid var(--fail); border-bottom: 2px solid var(--fail); font-weight: 600; }
.sequence .breaks { color: var(--fail); white-space: nowrap; }
.sequence tr:target td { outline: 2px solid var(--fail); }
.sequence td { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 11.5px; padding: 1px 5px; }
.sequence tr.sent td.dir { color: var(--info); } .sequence tr.received td.dir { color: var(--warn); }
.sequence tr.error td { background: #fdf1f0; } .sequence tr.note td { color: #5f6368; font-style: italic; }
.sequence tr.folded td { background: #f3f7fc; }
svg.timeline { display: block; max-width: 100%; height: auto; margin: 6px 0; }
svg.timeline .lane { font: 12px sans-serif; fill: #34404c; } svg.timeline .value { font: 11px sans-serif; fill: #1b1f24; }
svg.timeline .tick { font: 10px sans-serif; fill: #5f6368; } svg.timeline .axis { stroke: #c4c9cf; }
.hidden { display: none !important; }
footer { margin-top: 32px; color: #5f6368; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  .filters { display: none; }
  .sequence { max-height: none; overflow: visible; border: none; }
  .case { break-inside: auto; border-left-width: 4px; }
  .case h3, .case .meta, svg.timeline, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  .keep { break-inside: avoid; }
  .v, .grid td.hit, .grid td.illegal, .grid td.illegal.hit, .observed, .sequence tr.folded td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm 12mm; }
}
)css";

const char* const kReportScript = R"js(
(function () {
  'use strict';
  // The message that broke the rule sits in a scrolling box: scroll each box (not the page,
  // which starts at the verdict) so its marked row is in view.
  var marked = document.querySelectorAll('.sequence tr.marked');
  for (var m = 0; m < marked.length; m++) {
    var box = marked[m].closest('.sequence');
    if (!box || box.getAttribute('data-scrolled-to')) { continue; }
    box.scrollTop = Math.max(0, marked[m].offsetTop - box.clientHeight / 3);
    box.setAttribute('data-scrolled-to', marked[m].id);
  }
})();
(function () {
  'use strict';
  var bar = document.getElementById('filters');
  if (!bar) { return; }
  function checked(kind) {
    var on = {};
    var boxes = bar.querySelectorAll('input[data-kind="' + kind + '"]');
    for (var i = 0; i < boxes.length; i++) { on[boxes[i].value] = boxes[i].checked; }
    return on;
  }
  function apply() {
    var verdicts = checked('verdict');
    var areas = checked('area');
    var items = document.querySelectorAll('[data-verdict]');
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var visible = verdicts[items[i].getAttribute('data-verdict')] !== false &&
                    areas[items[i].getAttribute('data-area')] !== false;
      items[i].classList.toggle('hidden', !visible);
      if (visible && items[i].classList.contains('case')) { shown++; }
    }
    var counter = document.getElementById('shown');
    if (counter) { counter.textContent = String(shown); }
  }
  bar.addEventListener('change', apply);
  apply();
})();
)js";

}  // namespace fc::reports
