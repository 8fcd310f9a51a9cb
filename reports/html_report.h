// The conformance report a vendor hands to a customer: one self-contained HTML file (inline
// CSS, script and SVG) that reads well on screen and printed to PDF.
#pragma once

#include <filesystem>
#include <string>

#include "reports/run_record.h"

namespace fc::reports {

struct HtmlOptions {
  // Folder of the per-case pcaps relative to the report ("" leaves the links out).
  std::string pcap_folder = "pcap";
};

std::string html_report(const RunRecord& record, const HtmlOptions& options = {});
void write_html_report(const RunRecord& record, const std::filesystem::path& file, const HtmlOptions& options = {});

// Pieces the comparison page shares.
std::string html_page_start(const std::string& title);
std::string html_page_end();
std::string verdict_badge(record::Verdict verdict);
std::string utc_text(std::int64_t unix_ms);  // "2024-05-01 12:00:03 UTC"
// "case-FU-OBJ-751": an HTML id for the case.
std::string case_anchor(const record::CaseRecord& record);

}  // namespace fc::reports
