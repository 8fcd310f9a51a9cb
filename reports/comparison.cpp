#include "reports/comparison.h"

#include <fmt/format.h>
#include <map>

#include "reports/case_text.h"
#include "reports/html_report.h"
#include "reports/markdown_summary.h"
#include "reports/text_safety.h"

namespace fc::reports {

namespace {

struct Row {
  std::string label;
  std::string area_name;
  record::Level level;
  std::vector<const record::CaseRecord*> per_run;
};

std::vector<Row> rows_of(const std::vector<ComparedRun>& runs) {
  std::vector<Row> rows;
  std::map<std::string, std::size_t> index;
  for (std::size_t r = 0; r < runs.size(); ++r)
    for (const auto& c : runs[r].record.cases) {
      auto label = case_label(c);
      auto [it, added] = index.try_emplace(label, rows.size());
      if (added) rows.push_back(Row{label, c.meta.area + "." + c.meta.name, c.meta.level, std::vector<const record::CaseRecord*>(runs.size())});
      rows[it->second].per_run[r] = &c;
    }
  return rows;
}

// "fail: Execute /5/0/2 in Idle: expected 4.05 …" for a cell that did not pass; the verdict alone otherwise.
std::string markdown_cell(const record::CaseRecord* c) {
  if (!c) return "—";
  auto verdict = record::to_string(c->verdict);
  auto why = c->verdict == record::Verdict::Pass ? std::string() : headline(*c);
  return why.empty() ? verdict : verdict + ": " + markdown_inline(first_line(why, 200));
}

}  // namespace

std::string compared_run_label(const RunRecord& record, const std::string& source) {
  if (!record.run.device.name.empty()) return record.run.device.name;
  if (!record.run.device.endpoint.empty()) return record.run.device.endpoint;
  return source;
}

std::vector<ComparedRun> label_compared_runs(std::vector<std::pair<std::string, RunRecord>> sources_and_records) {
  std::vector<ComparedRun> runs;
  for (auto& [source, record] : sources_and_records) {
    auto label = compared_run_label(record, source);
    for (const auto& other : runs)
      if (other.label == label) label += " (" + source + ")";
    runs.push_back(ComparedRun{std::move(label), std::move(record)});
  }
  return runs;
}

std::string comparison_html(const std::vector<ComparedRun>& runs) {
  std::string out = html_page_start("fotacheck comparison");
  out += "<h1>fotacheck comparison</h1><table><tr><th>Case</th><th>Level</th>";
  for (const auto& run : runs) {
    out += fmt::format("<th>{}<div class=\"meta\">{} {}{}</div></th>", html_escape(run.label), html_escape(run.record.run.tool),
                       html_escape(run.record.run.version), run.record.complete ? "" : " · incomplete");
  }
  out += "</tr>";
  for (const auto& row : rows_of(runs)) {
    out += fmt::format("<tr><td><b>{}</b><div class=\"meta\">{}</div></td><td>{}</td>", html_escape(row.label),
                       html_escape(row.area_name), record::to_string(row.level));
    for (const auto* c : row.per_run) {
      if (!c) {
        out += "<td>—</td>";
        continue;
      }
      auto why = headline(*c);
      out += fmt::format("<td>{}{}</td>", verdict_badge(c->verdict), why.empty() ? "" : "<div class=\"meta\">" + html_escape(why) + "</div>");
    }
    out += "</tr>";
  }
  out += "<tr><th>MUST failed</th><td></td>";
  for (const auto& run : runs) out += fmt::format("<td>{}</td>", must_failed(run.record) ? "<b>yes</b>" : "no");
  out += "</tr></table>";
  return out + html_page_end();
}

std::string comparison_markdown(const std::vector<ComparedRun>& runs) {
  std::string out = "| case | level |";
  std::string rule = "|---|---|";
  for (const auto& run : runs) {
    out += " " + markdown_inline(run.label) + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& row : rows_of(runs)) {
    out += fmt::format("| {} | {} |", markdown_inline(row.label), record::to_string(row.level));
    for (const auto* c : row.per_run) out += " " + markdown_cell(c) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace fc::reports
