// results.json: the run as JSON, written while the run goes and read back by `fotacheck report`.
// Times are milliseconds (microsecond precision): case start from the run's start, timeline
// and trace entries from the case's start and trace origin.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_record.h"

namespace fc::reports {

inline constexpr const char* kResultsFormat = "fotacheck-results";
// 2: findings replace failures; verdict "error". 3: block transfers summarised (a trace note
// entry with "transfer"), the run's head after the cases (written incrementally).
inline constexpr int kResultsFormatVersion = 3;
inline constexpr int kOldestReadableFormatVersion = 2;  // `fotacheck report` still reads it

// A results file that cannot be read: names the file and the key path or byte offset.
class ResultsFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

nlohmann::json message_to_json(const coap::Message& message);
nlohmann::json trace_entry_to_json(const coap::TraceEntry& entry, Clock::time_point trace_origin);
nlohmann::json case_to_json(const record::CaseRecord& record, Clock::time_point run_origin);
nlohmann::json run_info_to_json(const RunInfo& info);
// What may change while the run goes: completeness, counts, conclusion and run info. The
// document puts it after the cases, so a writer appends a case and rewrites only this tail.
nlohmann::json results_head(const RunRecord& record);

// The document is results_opening(), each case line after case_separator(first), then
// results_closing(head, any case written): {"format", "format_version", "cases": […], head…}.
std::string results_opening();
std::string case_separator(bool first);
std::string results_closing(const nlohmann::json& head, bool any_case);
// The whole document from its head and the cases already serialised (one line each).
std::string assemble_results(const nlohmann::json& head, const std::vector<std::string>& case_lines);
std::string results_document(const RunRecord& record);
// One case as the single line assemble_results expects (invalid UTF-8 replaced, never thrown).
std::string case_line(const record::CaseRecord& record, Clock::time_point run_origin);

// Throws ResultsFormatError naming `source` and where it went wrong.
RunRecord parse_results(std::string_view text, const std::string& source);
RunRecord read_results(const std::filesystem::path& file);

// Writes (creates or truncates) `file`; throws std::runtime_error "cannot write FILE: write: No
// space left on device" naming the file, the step and the system's reason.
void write_file(const std::filesystem::path& file, std::string_view text);
// Writes `text` beside `file` and renames it over: readers see the old or the new file whole.
void write_atomically(const std::filesystem::path& file, std::string_view text);

// Parsers for the names the reports write; nullopt for an unknown name.
std::optional<record::Verdict> parse_verdict(std::string_view text);
std::optional<record::Level> parse_level(std::string_view text);

}  // namespace fc::reports
