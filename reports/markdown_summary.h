// A short Markdown summary for a pull-request comment or a CI job page.
#pragma once

#include <filesystem>
#include <string>

#include "reports/run_record.h"

namespace fc::reports {

// Counts, every failed MUST case on one line, then the other failures, and a link to the HTML.
std::string markdown_summary(const RunRecord& record, const std::string& html_link = "report.html");
void write_markdown_summary(const RunRecord& record, const std::filesystem::path& file,
                            const std::string& html_link = "report.html");

// `text` with Markdown's inline specials escaped and newlines as spaces: safe in a table cell.
std::string markdown_inline(std::string_view text);

}  // namespace fc::reports
