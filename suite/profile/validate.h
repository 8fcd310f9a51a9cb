// `fotacheck validate <profile>`: what is wrong with a device profile, or what it declares.
#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "suite/profile/profile.h"

namespace fc::profile {

// One line: endpoint, adapter, security, delivery, declared faults and timing.
std::string summarize(const Profile& profile);
// A profile with lab devices (`devices:`): "3 lab devices", then a line per device (its
// endpoint and adapter) and one of what they share.
std::string summarize_lab(const std::vector<Profile>& devices);

// Loads `file` as a run would (the files it names checked too). Prints every problem, one per
// line, then their count, and returns 2; or prints
// "profile OK: <summary>" and returns 0.
int run_validate(const std::filesystem::path& file, std::ostream& out);

}  // namespace fc::profile
