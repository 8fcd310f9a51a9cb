// What the Firmware Update object keeps across restarts (firmware-state.json in the state
// directory), written crash-safely after every change.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "refclient/firmware/firmware_types.h"
#include "refclient/firmware/slot_store.h"

namespace fc::refclient {

struct PersistedState {
  State state = State::Idle;
  int result = 0;                      // /5/0/5; an int so mutants and 1.1 values fit
  std::string package_uri;             // /5/0/1 as last written
  std::string pkg_name;                // /5/0/6
  std::string pkg_version;             // /5/0/7
  std::optional<Slot> active_slot;     // the running image; nullopt = factory image
  std::optional<Slot> pending_slot;    // marked for the next boot (State 3)
  int boot_attempts = 0;               // boots tried of the package in the download slot
  std::string running_version;         // /3/0/3; empty = options.factory_version
  std::string active_pkg_version;      // package version of the running image; empty = factory
  int severity = 1;                    // /5/0/11
  std::uint64_t max_defer_period = 0;  // /5/0/13
  std::int64_t last_state_change = 0;  // /5/0/12, unix seconds

  bool operator==(const PersistedState&) const = default;
};

inline constexpr const char* kStateFileName = "firmware-state.json";

// nullopt when the file does not exist. A file that cannot be parsed throws
// std::runtime_error naming the file and the JSON key or offset.
std::optional<PersistedState> load_persisted_state(const std::filesystem::path& file);
void save_persisted_state(const std::filesystem::path& file, const PersistedState& state);

}  // namespace fc::refclient
