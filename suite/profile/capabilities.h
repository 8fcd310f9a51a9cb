// What a device can do (capabilities, PICS-like) and which device-side faults its profile can
// make, as one table each. Case metadata, the skip decision, the reports' reader and `--list`
// all take names and predicates from here, so a capability is written down exactly once.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "suite/profile/profile.h"

namespace fc::profile {

enum class Capability {
  PullCoap, PullHttp, PullCoaps, PullHttps, PullCoapTcp, PullCoapsTcp,
  Push, Object11, RebootOnUpdate, Resumption,
  PskSecurity,  // the profile runs the server in PSK mode
};

// Device-side faults that only the profile can inject (a case needing one the profile cannot
// make is `not-tested`).
enum class Fault { FlashFull, OutOfRam, UpdateFails, PowerLoss };

struct CapabilityRow {
  Capability capability;
  std::string_view name;                 // in reports and results.json: "pull over coaps"
  std::optional<PullScheme> pull_scheme;  // the scheme a pull capability stands for
  bool (*declared)(const Profile&);       // does the profile declare it?
};

struct FaultRow {
  Fault fault;
  std::string_view name;  // the profile key under `faults:` and the reports' name: "out_of_ram"
  FaultInjection Faults::*member;  // where the profile keeps how to inject it
};

std::span<const CapabilityRow> capability_table();
std::span<const FaultRow> fault_table();

const CapabilityRow& row_of(Capability capability);
const FaultRow& row_of(Fault fault);
std::string to_string(Capability capability);
std::string to_string(Fault fault);
std::optional<Capability> capability_named(std::string_view name);
std::optional<Fault> fault_named(std::string_view name);

bool declares(const Profile& profile, Capability capability);
const FaultInjection& injection(const Profile& profile, Fault fault);
// The capability that pulling over `scheme` needs.
Capability pull_capability(PullScheme scheme);

}  // namespace fc::profile
