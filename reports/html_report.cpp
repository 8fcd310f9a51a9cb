#include "reports/html_report.h"

#include <algorithm>
#include <ctime>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <set>

#include "reports/case_text.h"
#include "reports/coverage.h"
#include "reports/html_assets.h"
#include "reports/message_sequence.h"
#include "reports/pcap_writer.h"
#include "reports/svg_timeline.h"
#include "reports/results_json.h"
#include "reports/text_safety.h"
#include "suite/record/radio_cost.h"

namespace fc::reports {

namespace {

using record::CaseRecord;
using nlohmann::json;

std::string e(std::string_view text) { return html_escape(text); }

// "0.6 ms" below a second, "3.10 s" above: cases against a fast device take well under 1 ms.
std::string duration_text(Clock::duration d) {
  double ms = std::chrono::duration<double, std::milli>(d).count();
  return ms < 1000 ? fmt::format("{:.1f} ms", ms) : fmt::format("{:.2f} s", ms / 1000);
}

std::string json_value_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) out += (out.empty() ? "" : ", ") + json_value_text(item);
    return out.empty() ? "—" : out;
  }
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_null()) return "—";
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string identity_rows(const json& object, const std::string& prefix) {
  std::string out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items())
    out += fmt::format("<tr><td>{}{}</td><td>{}</td></tr>", e(prefix), e(key), e(json_value_text(value)));
  return out;
}

// What the report says first: conformant, not conformant or not judged, in the runner's terms
// (runner/exit_status.h: a failed MUST case is exit 1, an unjudged one exit 3).
struct Standing {
  const char* css;
  const char* words;
};
Standing standing(const RunRecord& r) {
  switch (conclusion(r)) {
    case Conclusion::MustFailed: return {"not-conformant", "Not conformant"};
    case Conclusion::NoMustFailed:
      if (r.complete) return {"conformant", "Conformant"};
      return {"not-judged", "Not judged"};  // a run that crashed or was killed before its end
    default: return {"not-judged", "Not judged"};
  }
}

std::string level_counts(const RunRecord& r) {
  std::string out = "<table class=\"level-counts\"><tr><th>level</th>";
  for (auto v : all_verdicts()) out += "<th>" + verdict_badge(v) + "</th>";
  out += "</tr>";
  for (auto level : {record::Level::Must, record::Level::Should, record::Level::Info}) {
    std::map<record::Verdict, std::size_t> n;
    std::size_t total = 0;
    for (const auto& c : r.cases)
      if (c.meta.level == level) ++n[c.verdict], ++total;
    if (!total) continue;
    out += fmt::format("<tr data-level=\"{0}\"><th>{0}</th>", record::to_string(level));
    for (auto v : all_verdicts()) out += n[v] ? fmt::format("<td>{}</td>", n[v]) : "<td class=\"zero\">0</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

std::string header(const RunRecord& r) {
  const auto& run = r.run;
  std::string out = "<header><h1>fotacheck conformance report</h1>";
  out += fmt::format("<div class=\"meta\">LwM2M Firmware Update object (/5) · device <b>{}</b> · {} · {}</div>",
                     e(run.device.name.empty() ? run.device.endpoint : run.device.name), e(run.tool + " " + run.version),
                     utc_text(run.started_unix_ms));
  auto [css, words] = standing(r);
  out += fmt::format("<div class=\"verdict-banner {}\" id=\"verdict\"><div class=\"verdict-words\">{}</div>"
                     "<div class=\"verdict-why\">{}</div>{}</div>",
                     css, words, e(conclusion_line(r)), level_counts(r));
  // The conclusion first, when it is not a plain verdict: a reader must not take it for one.
  switch (conclusion(r)) {
    case Conclusion::Interrupted:
      out += "<div class=\"banner\"><b>Interrupted by " + e(r.interrupted_by) +
             ": no verdict.</b> The case in progress is inconclusive and the cases after it were not run; this "
             "report holds every case that finished.</div>";
      break;
    case Conclusion::NotRun:
      out += "<div class=\"banner\"><b>No case was run.</b><pre>" + e(r.diagnosis) + "</pre></div>";
      break;
    case Conclusion::MustUnjudged:
      out += "<div class=\"banner\"><b>No verdict: " + e(conclusion_line(r)) +
             ".</b> The device was not shown to conform.</div>";
      break;
    default: break;
  }
  if (!r.complete && r.interrupted_by.empty() && r.diagnosis.empty())
    out += "<div class=\"banner\"><b>Incomplete run.</b> The run stopped before its last case (crash, kill or "
           "interruption); this report holds every case that finished.</div>";
  return out + "</header>";
}

std::string device_identity(const RunRecord& r) {
  const auto& run = r.run;
  std::string out = "<h2>Device and run</h2><table class=\"identity\">";
  if (!run.device.name.empty()) out += fmt::format("<tr><td>Device name</td><td>{}</td></tr>", e(run.device.name));
  out += fmt::format("<tr><td>Device endpoint</td><td class=\"mono\">{}</td></tr>", e(run.device.endpoint));
  out += identity_rows(run.device.read, "Device reported: ");
  out += identity_rows(run.device.bootstrap, "Bootstrap: ");
  out += identity_rows(run.device.declared, "Declared: ");
  if (!run.device.binary.empty()) {
    out += fmt::format("<tr><td>Device binary</td><td class=\"mono\">{}</td></tr>", e(run.device.binary));
    out += fmt::format("<tr><td>Device binary SHA-256</td><td class=\"mono\">{}</td></tr>", e(run.device.binary_sha256));
  }
  for (const auto& [name, command] : run.device.commands)
    out += fmt::format("<tr><td>Device {} {}</td><td class=\"mono\">{}</td></tr>", e(run.device.adapter), e(name), e(command));
  out += fmt::format("<tr><td>Suite version</td><td>{} {}</td></tr>", e(run.tool), e(run.version));
  out += fmt::format("<tr><td>Profile</td><td class=\"mono\">{}</td></tr>", e(run.profile_path));
  if (!run.profile_file_sha256.empty())
    out += fmt::format("<tr><td>Profile file SHA-256</td><td class=\"mono\">{}</td></tr>", e(run.profile_file_sha256));
  out += fmt::format("<tr><td>Profile hash</td><td class=\"mono\">{}</td></tr>", e(run.profile_hash));
  out += fmt::format("<tr><td>Server</td><td class=\"mono\">{}</td></tr>", e(run.server_uri));
  out += fmt::format("<tr><td>Started</td><td>{}</td></tr>", utc_text(run.started_unix_ms));
  if (r.complete) out += fmt::format("<tr><td>Ended</td><td>{}</td></tr>", utc_text(r.ended_unix_ms));
  return out + "</table>";
}

std::string marked_row_id(const CaseRecord& c, std::size_t trace_index) {
  return fmt::format("{}-msg-{}", case_anchor(c), trace_index);
}

// The failed and unjudged-by-error cases, each finding's headline with a link to the message
// that broke the rule (and that message in one line), before anything else about the run.
std::string failures(const RunRecord& r) {
  std::string out;
  std::size_t listed = 0;
  for (const auto& c : r.cases) {
    if (c.verdict != record::Verdict::Fail && c.verdict != record::Verdict::Error &&
        c.verdict != record::Verdict::NonStrict)
      continue;
    ++listed;
    out += fmt::format("<li class=\"failure verdict-{0}\">{1} <a href=\"#{2}\">{3}</a> {4} <span class=\"mono\">{5}</span><ul>",
                       record::to_string(c.verdict), verdict_badge(c.verdict), case_anchor(c), e(case_label(c)),
                       record::to_string(c.meta.level), e(c.meta.area + "." + c.meta.name));
    for (const auto& f : c.findings) {
      out += "<li><span class=\"headline\">" + e(record::headline(f, c.meta.clause)) + "</span>";
      if (f.trace_index && *f.trace_index < c.trace.size()) {
        const auto& m = c.trace[*f.trace_index];
        out += fmt::format(" <a class=\"to-message\" href=\"#{}\">the message</a>: <span class=\"mono\">{} {}</span>",
                           marked_row_id(c, *f.trace_index), m.direction == coap::Direction::Sent ? "→" : "←",
                           e(is_trace_note(m) ? m.note : m.message.summary()));
      }
      out += "</li>";
    }
    if (c.findings.empty() && !c.reason.empty()) out += "<li>" + e(first_line(c.reason)) + "</li>";
    out += "</ul></li>";
  }
  if (!listed) return "<h2 id=\"failures\">Failures</h2><p>No case failed.</p>";
  return fmt::format("<h2 id=\"failures\">Failures ({})</h2><ul class=\"failures\">", listed) + out + "</ul>";
}

std::string counts(const RunRecord& r) {
  auto c = verdict_counts(r);
  std::string out = fmt::format("<h2>Verdicts</h2><div class=\"counts\"><div class=\"count\"><b>{}</b>cases</div>", r.cases.size());
  for (auto v : all_verdicts())
    out += fmt::format("<div class=\"count\"><b>{}</b>{}</div>", c[record::to_string(v)], verdict_badge(v));
  out += "</div>";
  switch (conclusion(r)) {
    case Conclusion::MustFailed: out += "<p><b>A MUST case failed:</b> the device does not conform.</p>"; break;
    case Conclusion::NoMustFailed: out += "<p>No MUST case failed.</p>"; break;
    default: out += "<p><b>No verdict:</b> " + e(conclusion_line(r)) + ".</p>"; break;
  }
  return out;
}

std::vector<std::string> areas_of(const RunRecord& r) {
  std::vector<std::string> areas;
  for (const auto& c : r.cases)
    if (std::find(areas.begin(), areas.end(), c.meta.area) == areas.end()) areas.push_back(c.meta.area);
  return areas;
}

std::string filters(const RunRecord& r) {
  std::string out = "<div class=\"filters\" id=\"filters\"><b>Show</b> verdicts: ";
  for (auto v : all_verdicts()) {
    auto name = record::to_string(v);
    out += fmt::format("<label><input type=\"checkbox\" data-kind=\"verdict\" value=\"{0}\" checked> {0}</label>", name);
  }
  out += " · areas: ";
  for (const auto& a : areas_of(r))
    out += fmt::format("<label><input type=\"checkbox\" data-kind=\"area\" value=\"{0}\" checked> {0}</label>", e(a));
  out += fmt::format(" · <span id=\"shown\">{}</span> cases shown</div>", r.cases.size());
  return out;
}

std::string case_links(const CaseLabels& labels, const std::map<std::string, std::string>& anchors) {
  std::string out = "<span class=\"cases\">";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto it = anchors.find(labels[i]);
    out += (i ? ", " : "") + (it == anchors.end() ? e(labels[i]) : fmt::format("<a href=\"#{}\">{}</a>", it->second, e(labels[i])));
  }
  return out + "</span>";
}

std::string grids(const RunRecord& r) {
  auto coverage = compute_coverage(r);
  std::map<std::string, std::string> anchors;
  for (const auto& c : r.cases) anchors[case_label(c)] = case_anchor(c);
  std::set<std::int64_t> states{0, 1, 2, 3}, results;
  for (std::int64_t v = 0; v <= 9; ++v) results.insert(v);
  for (const auto& [key, labels] : coverage.state_result) states.insert(key.first), results.insert(key.second);
  for (const auto& [key, labels] : coverage.cells) states.insert(std::get<0>(key)), states.insert(std::get<1>(key));

  std::string out = "<div class=\"keep\"><h2>States × Update Results reached</h2><p>A cell is marked when a case saw that State and Update "
                    "Result together (after any change of either), with the cases that did.</p><table class=\"grid\"><tr><th>State \\ Result</th>";
  for (auto res : results) out += fmt::format("<th>{}</th>", e(result_name(res)));
  out += "</tr>";
  for (auto s : states) {
    out += fmt::format("<tr><th>{}</th>", e(state_name(s)));
    for (auto res : results) {
      auto it = coverage.state_result.find({s, res});
      if (it == coverage.state_result.end()) out += "<td></td>";
      else out += fmt::format("<td class=\"hit\">✔{}</td>", case_links(it->second, anchors));
    }
    out += "</tr>";
  }
  out += "</table></div>";

  // The oracle's recorded cells, not the timelines again: one judgement, in the case and here.
  std::map<std::pair<std::int64_t, std::int64_t>, std::string> steps;
  for (const auto& [key, labels] : coverage.cells) {
    const auto& [from, to, result, rules] = key;
    steps[{from, to}] += fmt::format("<span class=\"step\">Result {} by {}</span>{}", e(result_name(result)), e(rules),
                                     case_links(labels, anchors));
  }
  out += "<div class=\"keep\"><h2>State transitions exercised</h2><p>Rows: from; columns: to. Each marked cell lists the "
         "Update Result the step left and the rows of the reference state machine (lwm2m-fota-reference §3.1: T1–T16, or "
         "restart across a new registration) that explain it, as the transition oracle recorded them for each case. Grey "
         "cells have no row; a step no row explains is a failure of its case, listed there.</p><table class=\"grid\">"
         "<tr><th>from \\ to</th>";
  for (auto s : states) out += fmt::format("<th>{}</th>", e(state_name(s)));
  out += "</tr>";
  for (auto from : states) {
    out += fmt::format("<tr><th>{}</th>", e(state_name(from)));
    for (auto to : states) {
      auto it = steps.find({from, to});
      bool legal = legal_transition(from, to);
      if (it == steps.end() && from == to && !legal) {
        out += "<td class=\"illegal\" title=\"no change\">—</td>";
        continue;
      }
      std::string cls = legal ? "" : "illegal";
      if (it != steps.end()) cls += cls.empty() ? "hit" : " hit";
      out += fmt::format("<td class=\"{}\" title=\"{}\">{}</td>", cls, legal ? "allowed" : "no row of the state machine",
                         it == steps.end() ? "" : "✔" + it->second);
    }
    out += "</tr>";
  }
  out += "</table></div>";
  return out;
}

std::string summary_table(const RunRecord& r) {
  std::string out = "<h2>Cases</h2><table><tr><th>Case</th><th>Area</th><th>Level</th><th>Verdict</th><th>Time</th><th>Why</th></tr>";
  for (const auto& c : r.cases)
    out += fmt::format("<tr data-verdict=\"{}\" data-area=\"{}\"><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                       record::to_string(c.verdict), e(c.meta.area), case_anchor(c), e(case_label(c)), e(c.meta.area),
                       record::to_string(c.meta.level), verdict_badge(c.verdict), duration_text(c.ended - c.started),
                       e(headline(c)));
  return out + "</table>";
}

std::string sequence_table(const CaseRecord& c) {
  auto rows = message_sequence(c);
  if (rows.empty()) return "<p>No CoAP message was exchanged.</p>";
  std::string out = "<div class=\"sequence\"><table><tr><th>+ms</th><th></th><th>channel</th><th>peer</th><th>message</th></tr>";
  for (const auto& row : rows) {
    std::string cls = row.note ? "note" : row.sent ? "sent" : "received";
    if (row.folded) cls += " folded";
    if (row.error) cls += " error";
    // The message a finding points to: marked, and with an id the failure list links to.
    std::string id;
    if (row.marked) {
      cls += " marked";
      id = fmt::format(" id=\"{}\"", marked_row_id(c, row.trace_index));
    }
    std::string time = row.folded ? fmt::format("{:.1f}–{:.1f}", row.t_ms, row.end_ms) : fmt::format("{:.1f}", row.t_ms);
    std::string text = e(row.text) + (row.annotation.empty() ? "" : " <i>[" + e(row.annotation) + "]</i>");
    if (row.marked) text += " <b class=\"breaks\">◀ broke the rule</b>";
    out += fmt::format("<tr class=\"{}\"{}><td>{}</td><td class=\"dir\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", cls, id,
                       time, row.note ? "·" : row.sent ? "→" : "←", e(row.channel), e(row.peer), text);
  }
  return out + "</table></div>";
}

std::string case_section(const CaseRecord& c, const HtmlOptions& options) {
  const auto& m = c.meta;
  std::string out = fmt::format("<section class=\"case verdict-{0}\" id=\"{1}\" data-verdict=\"{0}\" data-area=\"{2}\">",
                                record::to_string(c.verdict), case_anchor(c), e(m.area));
  out += fmt::format("<h3>{} {} <span class=\"mono\">{}</span> {}</h3>", verdict_badge(c.verdict), e(case_label(c)),
                     e(m.area + "." + m.name), e(m.title));
  std::string meta = fmt::format("{} · {}", record::to_string(m.level), duration_text(c.ended - c.started));
  if (m.ets) meta += fmt::format(" · OMA ETS {}", *m.ets);
  if (!m.clause.empty()) meta += " · " + e(m.clause);
  if (!c.device.empty()) meta += " · device " + e(c.device);
  out += "<div class=\"meta\">" + meta + "</div>";
  if (!m.requirement.empty()) out += "<p><b>Requirement:</b> " + e(m.requirement) + "</p>";
  if (!c.reason.empty()) out += "<p><b>" + e(record::to_string(c.verdict)) + ":</b> " + e(c.reason) + "</p>";
  if (!c.findings.empty()) {
    out += "<div class=\"observed\"><b>Expected vs observed</b><ul>";
    for (const auto& f : c.findings) {
      out += "<li>" + e(record::headline(f, m.clause));
      if (f.trace_index && *f.trace_index < c.trace.size())
        out += fmt::format(" <a class=\"to-message\" href=\"#{}\">(the message)</a>", marked_row_id(c, *f.trace_index));
      if (!f.detail.empty()) out += "<pre>" + e(f.detail) + "</pre>";
      out += "</li>";
    }
    out += "</ul></div>";
  }
  std::string measured;
  for (const auto& [name, value] : c.measurements)
    if (!record::radio_figure_of(name)) measured += fmt::format("<tr><td>{}</td><td>{}</td></tr>", e(name), e(value));
  if (!measured.empty()) out += "<table><tr><th>measured</th><th>value</th></tr>" + measured + "</table>";
  if (auto rows = radio_rows(c); !rows.empty()) {
    out += "<table class=\"radio\"><tr><th>radio cost</th>";
    for (const auto& row : rows) out += "<th>" + e(row.first) + "</th>";
    out += "</tr>";
    const auto& figures = record::radio_figures();
    for (std::size_t i = 0; i < figures.size(); ++i) {
      out += "<tr><td>" + e(figures[i].name) + "</td>";
      for (const auto& row : rows) out += "<td>" + e(row.second[i]) + "</td>";
      out += "</tr>";
    }
    out += "</table>";
  }
  auto svg = timeline_svg(c);
  out += svg.empty() ? "<p>No State or Update Result value was observed.</p>" : svg;
  out += sequence_table(c);
  if (!options.pcap_folder.empty() && !c.trace.empty()) {
    // The capture decodes as CoAP with no flags (server ports shown as 5683/5684, docs/reports.md).
    out += fmt::format("<p class=\"meta\">Capture: <a href=\"{0}/{1}\">{0}/{1}</a> — <span class=\"mono\">tshark -r {0}/{1} -Y coap</span></p>",
                       e(options.pcap_folder), e(pcap_file_name(c)));
  }
  return out + "</section>";
}

}  // namespace

std::string utc_text(std::int64_t unix_ms) {
  if (unix_ms <= 0) return "—";
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
  return text;
}

std::string verdict_badge(record::Verdict verdict) {
  auto name = record::to_string(verdict);
  return fmt::format("<span class=\"v v-{0}\">{0}</span>", name);
}

std::string case_anchor(const CaseRecord& record) {
  std::string id = "case-" + case_label(record);
  for (auto& ch : id)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') ch = '-';
  return id;
}

std::string html_page_start(const std::string& title) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<link rel=\"icon\" href=\"data:,\"><title>" + e(title) + "</title><style>" + kReportCss + "</style></head><body>\n";
}

std::string html_page_end() { return std::string("<script>") + kReportScript + "</script>\n</body></html>\n"; }

std::string html_report(const RunRecord& record, const HtmlOptions& options) {
  std::string out = html_page_start("fotacheck report: " + record.run.device.endpoint + " — " + conclusion_line(record));
  out += header(record);
  out += failures(record);
  out += counts(record);
  out += filters(record);
  out += summary_table(record);
  out += grids(record);
  out += device_identity(record);
  out += "<h2>Case details</h2>";
  for (const auto& c : record.cases) out += case_section(c, options);
  out += fmt::format("<footer>Generated by {} {} from results.json ({} cases{}).</footer>", e(record.run.tool),
                     e(record.run.version), record.cases.size(), record.complete ? "" : ", run incomplete");
  out += html_page_end();
  return out;
}

void write_html_report(const RunRecord& record, const std::filesystem::path& file, const HtmlOptions& options) {
  write_file(file, html_report(record, options));
}

}  // namespace fc::reports
