// Every format derived from a run record, written into one folder; and `fotacheck report`.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "reports/run_record.h"

namespace fc::reports {

// File names inside a report folder.
inline constexpr const char* kResultsFile = "results.json";
inline constexpr const char* kJunitFile = "junit.xml";
inline constexpr const char* kHtmlFile = "report.html";
inline constexpr const char* kMarkdownFile = "summary.md";
inline constexpr const char* kPcapFolder = "pcap";

// Writes one case's pcap rebuilt from the trace into `dir`/pcap/ (nothing for a case without
// CoAP messages); a wire capture already there (reports/wire_recorder.h) is kept as it is.
// Returns the file, or an empty path.
std::filesystem::path write_case_pcap(const RunRecord& record, const record::CaseRecord& c, const std::filesystem::path& dir);

// Where summary.md links the HTML report: "report.html" beside it, or with `report_url` (the
// folder's published address, e.g. a CI artifact URL) the absolute "URL/report.html", so the
// link works from a pull-request comment.
std::string html_report_link(const std::string& report_url);
// Empty when `report_url` is usable, else why not (it must be an absolute http(s) URL).
std::string report_url_problem(const std::string& report_url);

// junit.xml, report.html, summary.md and pcap/<case>.pcapng for every case; returns the files
// written. Throws std::runtime_error naming a file that cannot be written.
std::vector<std::filesystem::path> write_derived_reports(const RunRecord& record, const std::filesystem::path& dir,
                                                         const std::string& report_url = {});

// `fotacheck report RESULTS.json [MORE.json…] [--out DIR]`: one file rebuilds every format
// (into DIR, default the file's folder); several build comparison.html and comparison.md
// (into DIR, default the current folder); with `merge`, shards of one run joined into one run in
// DIR (default: the current folder; reports/run_merge.h). Returns 0, or 2 with the problem on `err`.
int run_report_command(const std::vector<std::filesystem::path>& inputs, const std::filesystem::path& out_dir,
                       std::ostream& out, std::ostream& err, const std::string& report_url = {}, bool merge = false);

}  // namespace fc::reports
