// The device profile as JSON for results.json, with secrets redacted, and its fingerprint.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "suite/profile/profile.h"

namespace fc::reports {

inline constexpr const char* kRedacted = "<redacted>";

// Inline PSK keys and identities stay out; so do the process adapter's environment values whose
// name suggests a secret (KEY, TOKEN, SECRET, PASS, PSK, PIN, AUTH, CRED) and the argument after
// such a flag ("--psk-key 0011", "--token=abc") unless it is a path. Names of environment
// variables that hold secrets are kept: they are not the secret. Hook commands are kept as
// written: a rig that puts a secret inline there should read it from the environment instead.
nlohmann::json profile_to_json(const profile::Profile& profile);
// What the device declares it can do (the profile's capabilities section).
nlohmann::json capabilities_to_json(const profile::Capabilities& capabilities);
// "sha256:<hex>" of the redacted profile JSON: equal profiles give equal hashes.
std::string profile_hash(const nlohmann::json& redacted_profile);
// The hash of a lab device's run (a profile with `devices:`): of the redacted profile without
// what each lab device sets for itself (suite/profile/lab_devices.h), so the runs of one lab's
// devices are shards of one run for `fotacheck report --merge`.
std::string lab_profile_hash(const nlohmann::json& redacted_profile);
// That part of a lab device's redacted profile: what the lab's devices share.
nlohmann::json lab_shared_profile(const nlohmann::json& redacted_profile);
// True for an environment variable name that suggests it holds a secret.
bool looks_secret(const std::string& name);

}  // namespace fc::reports
