// Finding the device client's binary before it is started, with a message that says what to
// build or set when it is not there.
#pragma once

#include <filesystem>
#include <string>

namespace fc::adapters {

// `command` as expanded from adapter.process.command. A bare name is looked up in PATH like a
// shell does; a path with a `/` is taken as is (a relative one from the current directory; the
// loader has already made a profile's relative paths absolute). Returns an absolute path to an
// executable regular file, or throws AdapterError naming what was tried, the profile
// (`profile`, may be empty) and what to build or set.
std::filesystem::path find_client_binary(const std::string& command, const std::filesystem::path& profile);

// The folder of the suite's own programs, {suite_bin} in a profile, where the bundled reference
// client lives: in a build tree the reference client's build folder, once installed the folder
// of the running program (suite/common/data_location.h). Nothing else is ever searched: the
// device is exactly what the profile names.
std::filesystem::path suite_bin_dir();

// What to do about a missing client: build the reference client, or point the profile at one.
std::string missing_client_hint(const std::string& command);

}  // namespace fc::adapters
