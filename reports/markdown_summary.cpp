#include "reports/markdown_summary.h"

#include <fmt/format.h>
#include <fstream>

#include "reports/case_text.h"
#include "reports/text_safety.h"

namespace fc::reports {

std::string markdown_inline(std::string_view text) {
  std::string out;
  for (char c : safe_text(text)) {
    if (c == '\n' || c == '\r') out += ' ';
    else if (std::string_view("\\`*_[]<>|#").find(c) != std::string_view::npos) out += std::string("\\") + c;
    else out += c;
  }
  return out;
}

std::string markdown_summary(const RunRecord& r, const std::string& html_link) {
  using record::Verdict;
  auto c = verdict_counts(r);
  std::string out = fmt::format("## fotacheck: {} — {}\n\n", markdown_inline(r.run.device.endpoint),
                                must_failed(r) ? "MUST case failed" : "no MUST case failed");
  if (!r.complete) out += "**Incomplete run:** it stopped before its last case; the counts cover the cases that finished.\n\n";
  out += "| cases | pass | fail | non-strict | info | skipped | not-tested | inconclusive |\n";
  out += "|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n\n", r.cases.size(), c["pass"], c["fail"], c["non-strict"],
                     c["info"], c["skipped"], c["not-tested"], c["inconclusive"]);
  auto list = [&](record::Level level, const char* title) {
    std::string lines;
    for (const auto& k : r.cases)
      if (k.verdict == Verdict::Fail && k.meta.level == level)
        lines += fmt::format("- **{}** {}: {}\n", markdown_inline(case_label(k)), markdown_inline(k.meta.area + "." + k.meta.name),
                             markdown_inline(headline(k)));
    if (!lines.empty()) out += fmt::format("### {}\n\n{}\n", title, lines);
  };
  list(record::Level::Must, "Failed MUST cases");
  list(record::Level::Should, "Failed SHOULD cases");
  list(record::Level::Info, "Failed INFO cases");
  out += fmt::format("fotacheck {} · profile `{}` · [full report]({})\n", markdown_inline(r.run.version),
                     markdown_inline(r.run.profile_hash), html_link);
  return out;
}

void write_markdown_summary(const RunRecord& record, const std::filesystem::path& file, const std::string& html_link) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << markdown_summary(record, html_link);
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

}  // namespace fc::reports
