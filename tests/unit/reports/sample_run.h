// A hand-built run with one case per verdict, a timeline, and a trace with a Block2 download,
// a truncated payload, a note and hostile bytes: the input of every report test.
#pragma once

#include <filesystem>
#include <string>

#include "reports/run_record.h"

namespace fc::reports::testing {

// Ports in the sample trace: the device, the reference server and the CoAP repository.
inline constexpr std::uint16_t kDevicePort = 40123;
inline constexpr std::uint16_t kServerPort = 41000;
inline constexpr std::uint16_t kRepositoryPort = 41001;

// Eight cases: pass (MUST), fail (MUST, with a Block2 download), skipped, not-tested,
// inconclusive, info, non-strict, fail (SHOULD). The oracle's transition cells: 0→1 (T1) for
// the download, 0→1→2→3→0 (T1, T4, T8, T9 with Result 1) for the info case, 0→2 (T1+T4) for
// the non-strict one.
RunRecord sample_run();
record::CaseRecord sample_case(std::size_t index);

// A fresh, empty folder under the system's temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs `command` through the shell under `timeout`, so no test can hang on a tool.
CommandResult run_command(const std::string& command, int timeout_seconds = 60);
std::string read_file(const std::filesystem::path& file);

}  // namespace fc::reports::testing
