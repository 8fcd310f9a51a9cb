#include "reports/markdown_summary.h"

#include <fmt/format.h>
#include <fstream>

#include "reports/case_text.h"
#include "reports/results_json.h"
#include "reports/text_safety.h"
#include "suite/record/radio_cost.h"

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

namespace {
void list_unjudged(const RunRecord& r, std::string& out) {
  std::string lines;
  for (const auto& k : r.cases)
    if (k.meta.level == record::Level::Must && unjudged(k))
      lines += fmt::format("- **{}** {}: {}\n", markdown_inline(case_label(k)), markdown_inline(k.meta.area + "." + k.meta.name),
                           markdown_inline(first_line(k.reason.empty() ? record::to_string(k.verdict) : k.reason, 300)));
  if (!lines.empty()) out += "### Unjudged MUST cases\n\n" + lines + "\n";
}

// Every transfer case's radio cost (suite/record/radio_cost.h), one row per case and kind.
void list_radio_costs(const RunRecord& r, std::string& out) {
  std::string lines;
  for (const auto& k : r.cases)
    for (const auto& [kind, values] : radio_rows(k)) {
      lines += fmt::format("| {} | {} |", markdown_inline(k.meta.area + "." + k.meta.name), markdown_inline(kind));
      for (const auto& value : values) lines += " " + markdown_inline(value) + " |";
      lines += "\n";
    }
  if (lines.empty()) return;
  out += "### Radio cost of the transfers\n\n| case | kind |";
  std::string rule = "|---|---|";
  for (const auto& figure : record::radio_figures()) {
    out += " " + markdown_inline(figure.name) + " |";
    rule += "---:|";
  }
  out += "\n" + rule + "\n" + lines + "\n";
}

// What was tested: the binary and its hash (or the hook commands), the profile file's hash.
std::string device_lines(const RunRecord& r) {
  const auto& d = r.run.device;
  std::string out;
  if (!d.binary.empty())
    out += fmt::format("- device binary: {} ({})\n", markdown_inline(d.binary), markdown_inline(d.binary_sha256));
  for (const auto& [name, command] : d.commands)
    out += fmt::format("- device {} {}: {}\n", markdown_inline(d.adapter), markdown_inline(name), markdown_inline(command));
  if (d.bootstrap.is_object()) {
    // One line: where the device bootstrapped, how it ended, the Finish answer.
    auto text = [&](const char* key) {
      const auto found = d.bootstrap.find(key);
      return found != d.bootstrap.end() && found->is_string() ? found->get<std::string>() : std::string("-");
    };
    out += fmt::format("- bootstrap: {} ({}) {}; Bootstrap-Finish {}; DM server {} ({}, {} credentials)\n",
                       markdown_inline(text("server_uri")), markdown_inline(text("security")),
                       markdown_inline(text("state")), markdown_inline(text("finish")),
                       markdown_inline(text("dm_server_uri")), markdown_inline(text("dm_security")),
                       markdown_inline(text("dm_credentials")));
  }
  if (!r.run.profile_path.empty())
    out += fmt::format("- profile file: {}{}\n", markdown_inline(r.run.profile_path),
                       r.run.profile_file_sha256.empty() ? "" : " (" + markdown_inline(r.run.profile_file_sha256) + ")");
  return out.empty() ? out : "### Device under test\n\n" + out + "\n";
}
}  // namespace

std::string markdown_summary(const RunRecord& r, const std::string& html_link) {
  using record::Verdict;
  auto c = verdict_counts(r);
  std::string out = fmt::format("## fotacheck: {} — {}\n\n", markdown_inline(r.run.device.endpoint),
                                markdown_inline(conclusion_line(r)));
  if (!r.diagnosis.empty()) {
    out += "**No case was run.** Diagnosis:\n\n```\n";
    for (char ch : safe_text(r.diagnosis)) out += ch == '`' ? '\'' : ch;
    out += "\n```\n\n";
  }
  if (!r.interrupted_by.empty())
    out += "**Interrupted by " + markdown_inline(r.interrupted_by) +
           ":** the case in progress is inconclusive and the cases after it were not run.\n\n";
  else if (!r.complete && r.diagnosis.empty())
    out += "**Incomplete run:** it stopped before its last case; the counts cover the cases that finished.\n\n";
  if (conclusion(r) == Conclusion::MustUnjudged)
    out += "**No verdict:** MUST cases ended inconclusive or in error; the device was not shown to conform.\n\n";
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
  list_unjudged(r, out);
  list_radio_costs(r, out);
  out += device_lines(r);
  out += fmt::format("fotacheck {} · profile `{}` · [full report]({})\n", markdown_inline(r.run.version),
                     markdown_inline(r.run.profile_hash), html_link);
  return out;
}

void write_markdown_summary(const RunRecord& record, const std::filesystem::path& file, const std::string& html_link) {
  write_file(file, markdown_summary(record, html_link));
}

}  // namespace fc::reports
