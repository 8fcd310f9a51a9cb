#include "suite/common/data_location.h"

#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace fc::common {

namespace {

namespace fs = std::filesystem;

bool folder_exists(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

// The build tree around `folder`: the nearest ancestor holding the marker file, read.
std::optional<DataLocation> build_tree_above(const fs::path& folder) {
  for (fs::path at = folder; !at.empty(); at = at.parent_path()) {
    const fs::path marker = at / kBuildTreeMarker;
    std::ifstream in(marker);
    if (in) {
      DataLocation found;
      for (std::string line; std::getline(in, line);) {
        if (line.rfind("source_dir=", 0) == 0) found.data_dir = line.substr(11);
        if (line.rfind("programs_dir=", 0) == 0) found.programs_dir = line.substr(13);
      }
      if (!folder_exists(found.data_dir)) {
        found.searched = marker.string() + " (its source_dir is not a folder)";
        found.data_dir.clear();
      }
      return found;
    }
    if (at == at.root_path()) break;
  }
  return std::nullopt;
}

}  // namespace

DataLocation locate_data(const fs::path& executable, const fs::path& data_from_bin) {
  const fs::path own_folder = executable.parent_path();
  const fs::path installed = (own_folder / data_from_bin).lexically_normal();
  // Installed first: a prefix may lie inside a build tree (a test installs into one).
  if (folder_exists(installed)) return {installed, own_folder, {}};
  if (auto built = build_tree_above(own_folder)) {
    if (built->searched.empty()) {
      if (built->programs_dir.empty()) built->programs_dir = own_folder;
      return *built;
    }
    return {{}, own_folder, installed.string() + " and " + built->searched};
  }
  return {{}, own_folder, installed.string() + " and a " + kBuildTreeMarker + " above " + own_folder.string()};
}

const DataLocation& data_location() {
  static const DataLocation location = [] {
    std::error_code error;
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (error) return DataLocation{{}, {}, "/proc/self/exe (" + error.message() + ")"};
    return locate_data(self, FOTACHECK_DATA_FROM_BIN);
  }();
  return location;
}

fs::path data_file(const fs::path& relative) {
  const auto& location = data_location();
  if (location.data_dir.empty()) {
    throw std::runtime_error("fotacheck's data folder (profiles, test keys) was not found: looked for " +
                             location.searched + "; reinstall fotacheck, or run it from its build tree");
  }
  return location.data_dir / relative;
}

}  // namespace fc::common
