#include "adapters/client_binary.h"

#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "adapters/device_adapter.h"
#include "suite/common/data_location.h"

namespace fc::adapters {

namespace {

namespace fs = std::filesystem;

// Why `path` cannot be executed, or nullopt when it can.
std::optional<std::string> unusable(const fs::path& path) {
  std::error_code error;
  const auto status = fs::status(path, error);
  if (!fs::exists(status)) return "does not exist";
  if (fs::is_directory(status)) return "is a directory";
  if (!fs::is_regular_file(status)) return "is not a regular file";
  if (::access(path.c_str(), X_OK) != 0) return "is not executable";
  return std::nullopt;
}

[[noreturn]] void fail(const std::string& what, const std::string& command, const fs::path& profile) {
  const std::string where =
      profile.empty() ? "" : fmt::format(" (adapter.process.command in {})", profile.string());
  throw AdapterError(fmt::format("{}{}; {}", what, where, missing_client_hint(command)));
}

}  // namespace

fs::path suite_bin_dir() { return common::data_location().programs_dir; }

std::string missing_client_hint(const std::string& command) {
  if (command.find("fotacheck-refclient") != std::string::npos) {
    const std::string hint = "build it with `cmake --build build --target fotacheck-refclient`";
    // A bare name is looked up in PATH only; the bundled one has its own placeholder.
    if (command.find('/') == std::string::npos) return hint + ", or name the bundled one: {suite_bin}/" + command;
    return hint;
  }
  return "set adapter.process.command in the profile to the client binary";
}

fs::path find_client_binary(const std::string& command, const fs::path& profile) {
  if (command.empty()) fail("no device client command is set", command, profile);
  if (command.find('/') != std::string::npos) {
    std::error_code error;
    fs::path path = fs::absolute(command, error).lexically_normal();
    if (error) path = command;
    if (auto problem = unusable(path)) {
      fail(fmt::format("the device client {} {}", path.string(), *problem), command, profile);
    }
    return path;
  }
  const char* search = std::getenv("PATH");
  const std::string_view directories = search != nullptr ? search : "";
  std::string_view rest = directories;
  while (true) {
    const std::size_t colon = rest.find(':');
    const std::string_view directory = rest.substr(0, colon);
    // An empty PATH entry means the current directory, as in POSIX shells.
    std::error_code error;
    const fs::path candidate =
        fs::absolute(fs::path(directory.empty() ? "." : directory) / command, error);
    if (!error && !unusable(candidate)) return candidate.lexically_normal();
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  fail(fmt::format("the device client `{}` was not found in PATH ({})", command,
                   directories.empty() ? "PATH is empty" : std::string(directories)),
       command, profile);
}

}  // namespace fc::adapters
