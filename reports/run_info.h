// The run's header in results.json, from the profile, the reference server and the device's
// registration.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "adapters/device_adapter.h"
#include "reports/run_record.h"
#include "suite/profile/profile.h"
#include "suite/server/bootstrap_server.h"
#include "suite/server/registry.h"

namespace fc::reports {

// Tool version, start time (now), the redacted profile and its hash, declared capabilities.
RunInfo make_run_info(const profile::Profile& profile, const std::filesystem::path& profile_file, std::string version,
                      std::string endpoint, std::string server_uri, std::string server_address);

// "sha256:<hex>" of a file's bytes; throws std::runtime_error naming the file when it cannot be read.
std::string file_sha256(const std::filesystem::path& file);

// Records what will be driven (DeviceIdentity's adapter, binary, binary_sha256, commands). For
// the process adapter the command is expanded with `context` and resolved as exec does (PATH
// for a bare name); a binary that cannot be found or read is recorded with the reason. Hook
// commands are recorded as the profile writes them (unexpanded: no secret placeholder values).
void describe_device_under_test(DeviceIdentity& device, const profile::Profile& profile,
                                const adapters::StartContext& context);

// What the device says about itself at registration: LwM2M version, binding, lifetime,
// queue mode, object list and the /5 object version.
nlohmann::json device_read_json(const server::Registration& registration);

// The device's client-initiated bootstrap for the device metadata: the bootstrap server's URI
// and security, the DM account written (secrets by size only), each step with its answer and
// the Bootstrap-Finish outcome. `dm_credentials` is the profile's choice ("profile", "per-run").
nlohmann::json bootstrap_json(const server::BootstrapServer& bootstrap, const std::string& endpoint,
                              std::string_view dm_credentials);

}  // namespace fc::reports
