// The run's header in results.json, from the profile, the reference server and the device's
// registration.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/run_record.h"
#include "suite/profile/profile.h"
#include "suite/server/registry.h"

namespace fc::reports {

// Tool version, start time (now), the redacted profile and its hash, declared capabilities.
RunInfo make_run_info(const profile::Profile& profile, const std::filesystem::path& profile_file, std::string version,
                      std::string endpoint, std::string server_uri, std::string server_address);

// What the device says about itself at registration: LwM2M version, binding, lifetime,
// queue mode, object list and the /5 object version.
nlohmann::json device_read_json(const server::Registration& registration);

}  // namespace fc::reports
