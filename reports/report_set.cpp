#include "reports/report_set.h"

#include <fstream>
#include <ostream>

#include "reports/comparison.h"
#include "reports/html_report.h"
#include "reports/junit_writer.h"
#include "reports/markdown_summary.h"
#include "reports/pcap_writer.h"
#include "reports/results_json.h"
#include "reports/run_merge.h"
#include "reports/wire_recorder.h"

namespace fc::reports {

namespace fs = std::filesystem;

fs::path write_case_pcap(const RunRecord& record, const record::CaseRecord& c, const fs::path& dir) {
  auto file = dir / kPcapFolder / pcap_file_name(c);
  // The wire itself, captured during the run, is never replaced by a rebuild from the trace.
  if (is_wire_capture(file)) return file;
  auto pcap = case_pcap(record, c);
  if (!pcap.file.packets()) return {};
  fs::create_directories(dir / kPcapFolder);
  const auto& bytes = pcap.file.bytes();
  write_file(file, std::string(bytes.begin(), bytes.end()));
  return file;
}

std::string html_report_link(const std::string& report_url) {
  if (report_url.empty()) return kHtmlFile;
  return report_url + (report_url.back() == '/' ? "" : "/") + kHtmlFile;
}

std::string report_url_problem(const std::string& report_url) {
  if (report_url.empty()) return {};
  if (report_url.rfind("https://", 0) != 0 && report_url.rfind("http://", 0) != 0)
    return "--report-url must be an absolute http:// or https:// URL, got \"" + report_url + "\"";
  for (char c : report_url)
    if (static_cast<unsigned char>(c) <= ' ' || c == ')' || c == '(' || c == '<' || c == '>' || c == '"')
      return "--report-url must not hold spaces, quotes, parentheses or angle brackets (percent-encode them), got \"" +
             report_url + "\"";
  return {};
}

std::vector<fs::path> write_derived_reports(const RunRecord& record, const fs::path& dir, const std::string& report_url) {
  fs::create_directories(dir);
  std::vector<fs::path> files;
  std::string problems;
  // Each format on its own: one that cannot be written does not cost the others.
  auto attempt = [&](const fs::path& file, auto&& write) {
    try {
      write();
      if (!file.empty()) files.push_back(file);
    } catch (const std::exception& e) {
      problems += (problems.empty() ? "" : "; ") + std::string(e.what());
    }
  };
  attempt(dir / kJunitFile, [&] { write_junit(record, dir / kJunitFile); });
  HtmlOptions options;
  options.pcap_folder = kPcapFolder;
  attempt(dir / kHtmlFile, [&] { write_html_report(record, dir / kHtmlFile, options); });
  attempt(dir / kMarkdownFile, [&] { write_markdown_summary(record, dir / kMarkdownFile, html_report_link(report_url)); });
  for (const auto& c : record.cases) {
    // A case whose transfers results.json summarised got its capture from the whole trace when
    // it ended: a rebuild from the summary would lose the middle blocks, so it keeps that one.
    if (!c.transfers.empty() && fs::exists(dir / kPcapFolder / pcap_file_name(c))) continue;
    fs::path written;
    attempt({}, [&] { written = write_case_pcap(record, c, dir); });
    if (!written.empty()) files.push_back(written);
  }
  if (!problems.empty()) throw std::runtime_error(problems);
  return files;
}

int run_report_command(const std::vector<fs::path>& inputs, const fs::path& out_dir, std::ostream& out, std::ostream& err,
                       const std::string& report_url, bool merge) {
  if (inputs.empty()) {
    err << "fotacheck report: name at least one results.json\n";
    return 2;
  }
  if (auto problem = report_url_problem(report_url); !problem.empty()) {
    err << "fotacheck report: " << problem << "\n";
    return 2;
  }
  try {
    if (merge) {
      merge_command(inputs, out_dir, out, report_url);
      return 0;
    }
    if (inputs.size() == 1) {
      auto record = read_results(inputs.front());
      auto dir = out_dir.empty() ? inputs.front().parent_path() : out_dir;
      if (dir.empty()) dir = ".";
      auto files = write_derived_reports(record, dir, report_url);
      out << "rebuilt " << files.size() << " files from " << inputs.front().string() << " (" << record.cases.size()
          << " cases" << (record.complete ? "" : ", run incomplete") << ") in " << dir.string() << "\n";
      return 0;
    }
    std::vector<std::pair<std::string, RunRecord>> read;
    for (const auto& input : inputs) read.emplace_back(input.string(), read_results(input));
    auto runs = label_compared_runs(std::move(read));
    auto dir = out_dir.empty() ? fs::path(".") : out_dir;
    fs::create_directories(dir);
    write_file(dir / "comparison.html", comparison_html(runs));
    write_file(dir / "comparison.md", comparison_markdown(runs));
    out << "compared " << runs.size() << " runs in " << (dir / "comparison.html").string() << " and comparison.md\n";
    return 0;
  } catch (const std::exception& e) {
    err << (merge ? "fotacheck report --merge: " : "fotacheck report: ") << e.what() << "\n";
    return 2;
  }
}

}  // namespace fc::reports
