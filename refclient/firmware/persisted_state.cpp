// firmware-state.json: JSON via nlohmann_json, replaced atomically on every save.
#include "refclient/firmware/persisted_state.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "refclient/firmware/durable_file.h"

namespace fc::refclient {

namespace {

constexpr int kFileFormat = 1;

nlohmann::json slot_json(const std::optional<Slot>& slot) {
  return slot ? nlohmann::json(std::string(slot_name(*slot))) : nlohmann::json(nullptr);
}

std::optional<Slot> slot_from_json(const nlohmann::json& value, const char* key) {
  if (value.is_null()) return std::nullopt;
  auto slot = slot_from_name(value.get<std::string>());
  if (!slot) throw std::runtime_error(fmt::format("key \"{}\": slot must be \"a\", \"b\" or null", key));
  return slot;
}

}  // namespace

std::optional<PersistedState> load_persisted_state(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto json = nlohmann::json::parse(text.str());
    if (json.at("format").get<int>() != kFileFormat) {
      throw std::runtime_error(fmt::format("key \"format\": expected {}", kFileFormat));
    }
    PersistedState state;
    const int state_value = json.at("state").get<int>();
    if (state_value < 0 || state_value > 3) throw std::runtime_error("key \"state\": must be 0..3");
    state.state = static_cast<State>(state_value);
    state.result = json.at("result").get<int>();
    state.package_uri = json.at("package_uri").get<std::string>();
    state.pkg_name = json.at("pkg_name").get<std::string>();
    state.pkg_version = json.at("pkg_version").get<std::string>();
    state.active_slot = slot_from_json(json.at("active_slot"), "active_slot");
    state.pending_slot = slot_from_json(json.at("pending_slot"), "pending_slot");
    state.boot_attempts = json.at("boot_attempts").get<int>();
    state.running_version = json.at("running_version").get<std::string>();
    state.active_pkg_version = json.at("active_pkg_version").get<std::string>();
    state.severity = json.at("severity").get<int>();
    state.max_defer_period = json.at("max_defer_period").get<std::uint64_t>();
    state.last_state_change = json.at("last_state_change").get<std::int64_t>();
    return state;
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", file.string(), e.what()));
  }
}

void save_persisted_state(const std::filesystem::path& file, const PersistedState& state) {
  const nlohmann::json json{
      {"format", kFileFormat},
      {"state", as_number(state.state)},
      {"result", state.result},
      {"package_uri", state.package_uri},
      {"pkg_name", state.pkg_name},
      {"pkg_version", state.pkg_version},
      {"active_slot", slot_json(state.active_slot)},
      {"pending_slot", slot_json(state.pending_slot)},
      {"boot_attempts", state.boot_attempts},
      {"running_version", state.running_version},
      {"active_pkg_version", state.active_pkg_version},
      {"severity", state.severity},
      {"max_defer_period", state.max_defer_period},
      {"last_state_change", state.last_state_change},
  };
  // Package URI text comes from the server and may not be UTF-8: replace, do not throw.
  write_file_durably(file, json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace fc::refclient
