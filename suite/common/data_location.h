// Where fotacheck's shared data (the shipped device profiles, the test PKI and keys) and its own
// programs (the bundled reference client) are. Found from the running program's own place, never
// from a path compiled into it, so an installed fotacheck works wherever its prefix is:
//  - installed: the program in <prefix>/bin, the data in <prefix>/share/fotacheck;
//  - in a build tree: the build folder, found upward from the program by the file
//    fotacheck-build-tree.txt that CMake writes there, names the source folder (the data) and
//    the reference client's build folder.
// The data folder has the source tree's layout: adapters/profiles, fixtures/pki, fixtures/keys,
// so the profiles' relative paths (../../fixtures/pki/...) hold in both.
#pragma once

#include <filesystem>
#include <string>

namespace fc::common {

// The build tree's marker file, in the build folder: `source_dir=...` and `programs_dir=...` lines.
inline constexpr const char* kBuildTreeMarker = "fotacheck-build-tree.txt";

struct DataLocation {
  std::filesystem::path data_dir;      // empty when neither an install nor a build tree was found
  std::filesystem::path programs_dir;  // {suite_bin}: the folder of fotacheck-refclient
  std::string searched;                // what was looked at, for the message when data_dir is empty
};

// The rule, for a program at `executable` (absolute). `data_from_bin` is the installed data
// folder relative to the program's folder (../share/fotacheck with the usual install dirs).
DataLocation locate_data(const std::filesystem::path& executable, const std::filesystem::path& data_from_bin);

// The running program's location (from /proc/self/exe), found once.
const DataLocation& data_location();

// `relative` (e.g. fixtures/keys/package-signing.key.pem) inside the data folder. Throws
// std::runtime_error saying where it looked when there is no data folder.
std::filesystem::path data_file(const std::filesystem::path& relative);

}  // namespace fc::common
