// What a conformance case checks, as data: id, clause, ETS case, level, what it needs. The
// catalogue in docs/ and every report column come from here.
#pragma once

#include <optional>
#include <string>
#include <concepts>
#include <functional>
#include <vector>

#include "suite/profile/capabilities.h"

namespace fc::record {

enum class Level { Must, Should, Info };
std::string to_string(Level level);

// Capabilities and faults are the profile's tables (suite/profile/capabilities.h).
using profile::Capability;
using profile::Fault;
using profile::to_string;

// A stretch of the device's own behaviour that a case acts inside and that a device need not
// make long: State 3 (Updating) long enough to send it requests. The profile lengthens it for
// those cases when it can (timing.install_time through {install_time}, docs/device-profiles.md);
// otherwise the device runs as it always does, and a case that cannot act in time is
// not-tested with its reason. Never a reason to skip.
enum class Phase { Updating };
std::string to_string(Phase phase);

struct CaseMeta {
  std::string area;         // the GoogleTest suite: "Registration", "Results", ...
  std::string name;         // the GoogleTest test name
  std::string id;           // stable: "FU-RES-005-PULL"
  std::string title;
  std::string requirement;  // the sentence the case checks
  std::string clause;       // "TS Core E.6.1; reference §3.2 rule 3"
  std::optional<int> ets;   // OMA ETS 751–780 when one exists
  Level level = Level::Must;
  std::vector<Capability> needs;
  std::vector<Fault> faults;
  std::vector<Phase> acts_in;
};

// Builders so a case's header reads like a data sheet: id("…"), ets(772), level(Level::Must),
// needs(Capability::Push), faults(Fault::OutOfRam), acts_in(Phase::Updating). needs() takes only
// capabilities and faults() only faults: `needs(Fault::OutOfRam)` does not compile.
struct MetaSetter {
  std::function<void(CaseMeta&)> apply;
};
MetaSetter id(std::string value);
MetaSetter title(std::string value);
MetaSetter requirement(std::string value);
MetaSetter clause(std::string value);
MetaSetter ets(int value);
MetaSetter level(Level value);
template <std::same_as<Capability>... C>
MetaSetter needs(C... capabilities) {
  return {[=](CaseMeta& m) { (m.needs.push_back(capabilities), ...); }};
}
template <std::same_as<Fault>... F>
MetaSetter faults(F... list) {
  return {[=](CaseMeta& m) { (m.faults.push_back(list), ...); }};
}

// acts_in(Phase::Updating): the case acts while the device is Updating (see Phase).
template <std::same_as<Phase>... P>
MetaSetter acts_in(P... phases) {
  return {[=](CaseMeta& m) { (m.acts_in.push_back(phases), ...); }};
}

// The catalogue of every case linked into the runner, in registration order.
class Catalogue {
 public:
  static Catalogue& instance();
  bool add(CaseMeta meta);
  const std::vector<CaseMeta>& all() const { return cases_; }
  const CaseMeta* find(const std::string& area, const std::string& name) const;

 private:
  std::vector<CaseMeta> cases_;
};

template <typename... S>
bool register_case(const char* area, const char* name, S... setters) {
  CaseMeta meta;
  meta.area = area;
  meta.name = name;
  (setters.apply(meta), ...);
  return Catalogue::instance().add(std::move(meta));
}

}  // namespace fc::record

