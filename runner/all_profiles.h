// `fotacheck --all-profiles`: every shipped reference-client profile (refclient*.yaml beside
// the default profile: plain CoAP, PSK, RPK, X.509, TCP, TLS, object 1.1 and the default that
// declares everything), each a run of its own, then one comparison of them all.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace fc::runner {

// The reference-client profiles in `folder`: the default (refclient.yaml) first, then the others
// by name.
std::vector<std::filesystem::path> reference_client_profiles(const std::filesystem::path& folder);

struct AllProfilesRun {
  std::filesystem::path self;          // this fotacheck binary, run once per profile
  std::vector<std::filesystem::path> profiles;
  std::filesystem::path reports_dir;   // REPORTS/<profile name>/ per run; comparison.{html,md} here
  std::vector<std::string> run_args;   // for every run: --case, --device-arg=, --gtest_..., ...
};

// Runs each profile as `self --profile P --reports REPORTS/<name> ARGS…` (its console lines
// shown as they come), then compares every run that wrote results.json. The exit status: 2 if a
// run could not be made or the comparison not written, else 1 if a MUST case failed in a run,
// else 3 if one was left unjudged, else 0; 128 + the signal when interrupted.
int run_all_profiles(const AllProfilesRun& request, std::ostream& out, std::ostream& err);

}  // namespace fc::runner
