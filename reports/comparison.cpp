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

}  // namespace

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
    for (const auto* c : row.per_run) out += " " + (c ? record::to_string(c->verdict) : std::string("—")) + " |";
    out += "\n";
  }
  return out;
}

}  // namespace fc::reports
