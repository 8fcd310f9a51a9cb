// Legal-variant switches (`--variant NAME`, repeatable): each makes the reference client take
// another choice the specification permits and real clients make, so the suite can prove that
// it does not fail a conforming device for it (issue 15). A variant breaks no rule: that is
// what a mutant (mutants.h) is for. The table is what --help prints and docs/refclient.md
// documents; tests/selfcheck/variants.txt runs the whole catalogue against each one.
#pragma once

#include <string_view>
#include <vector>

namespace fc::refclient {

struct VariantInfo {
  std::string_view name;       // the --variant argument
  std::string_view allowance;  // why it is legal (reference section, TS/RFC clause, who does it)
  std::string_view behaviour;  // what the client does instead of its default
};

const std::vector<VariantInfo>& all_variants();
bool is_known_variant(std::string_view name);

// The names, so code and tests cannot misspell them.
namespace variant {
inline constexpr std::string_view kIntegrityAtUpdate = "integrity-at-update";
inline constexpr std::string_view kNoUpdatingState = "no-updating-state";
inline constexpr std::string_view kDecideAfterRestart = "decide-after-restart";
inline constexpr std::string_view kExecSelfUpdate = "exec-self-update";
inline constexpr std::string_view kServerInstance1 = "server-instance-1";
inline constexpr std::string_view kBlock1Busy503 = "block1-busy-503";
inline constexpr std::string_view kBadUri400 = "bad-uri-400";
inline constexpr std::string_view kNoObjectVersion = "no-object-version";
inline constexpr std::string_view kNoV11Resources = "no-v11-resources";
inline constexpr std::string_view kMergedNotifications = "merged-notifications";
}  // namespace variant

}  // namespace fc::refclient
