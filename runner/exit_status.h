// The runner's exit statuses: one table, used by the runner and printed by --help (README and
// docs/reports.md repeat it for readers).
#pragma once

#include <string>

#include "reports/run_record.h"

namespace fc::runner {

inline constexpr int kNoMustFailed = 0;
inline constexpr int kMustFailed = 1;
inline constexpr int kEnvironmentError = 2;  // configuration, environment, device never came up, no case selected
inline constexpr int kMustUnjudged = 3;

struct ExitStatusRow {
  const char* status;
  const char* meaning;
};
inline constexpr ExitStatusRow kExitStatuses[] = {
    {"0", "every MUST case that applies was judged and passed"},
    {"1", "a MUST case failed: the device does not conform"},
    {"2", "configuration or environment error: bad option or profile, a device that never registered, a "
          "selection that runs no case, a report that could not be written"},
    {"3", "no MUST case failed, but MUST cases were left unjudged (inconclusive or error): no verdict"},
    {"130/143", "interrupted by SIGINT/SIGTERM (128 + the signal): no verdict; the reports hold what was gathered"},
};

// The status of a run that ended on its own (not interrupted).
inline int exit_status_for(reports::Conclusion conclusion) {
  switch (conclusion) {
    case reports::Conclusion::MustFailed: return kMustFailed;
    case reports::Conclusion::MustUnjudged: return kMustUnjudged;
    case reports::Conclusion::NoMustFailed: return kNoMustFailed;
    case reports::Conclusion::NotRun:
    case reports::Conclusion::Interrupted: break;
  }
  return kEnvironmentError;
}

// Which of several runs' statuses speaks loudest (--all-profiles, --devices): a run that could not
// be made, then a MUST failure, then MUST cases left unjudged, then a pass.
inline int severity(int status) {
  switch (status) {
    case kEnvironmentError: return 3;
    case kMustFailed: return 2;
    case kMustUnjudged: return 1;
    default: return status == kNoMustFailed ? 0 : 3;
  }
}

// "Exit status: 0 …; 1 …" for --help.
inline std::string exit_status_help() {
  std::string text = "Exit status:";
  for (const auto& row : kExitStatuses) text += std::string("\n  ") + row.status + "  " + row.meaning;
  return text;
}

}  // namespace fc::runner
