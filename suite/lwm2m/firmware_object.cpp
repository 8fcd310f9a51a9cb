#include "suite/lwm2m/firmware_object.h"

#include <array>
#include <fmt/format.h>

namespace fc::lwm2m::firmware {

namespace {
constexpr std::array<std::string_view, 4> kStateNames{"Idle", "Downloading", "Downloaded", "Updating"};
constexpr std::array<std::string_view, 12> kResultNames{
    "Initial value",  "Success",         "Not enough flash",      "Out of RAM",
    "Connection lost", "Integrity check failure", "Unsupported package type", "Invalid URI",
    "Update failed",  "Unsupported protocol", "Update cancelled", "Update deferred"};

struct ResourceRow {
  Resource role;
  std::string_view name;
  std::uint16_t id;
};
// TS Core E.6, Table: Firmware Update object resources.
constexpr std::array<ResourceRow, 13> kFirmwareUpdateResources{{
    {Resource::Package, "Package", 0},
    {Resource::PackageUri, "Package URI", 1},
    {Resource::Update, "Update", 2},
    {Resource::State, "State", 3},
    {Resource::UpdateResult, "Update Result", 5},
    {Resource::PkgName, "PkgName", 6},
    {Resource::PkgVersion, "PkgVersion", 7},
    {Resource::ProtocolSupport, "Firmware Update Protocol Support", 8},
    {Resource::DeliveryMethod, "Firmware Update Delivery Method", 9},
    {Resource::Cancel, "Cancel", 10},
    {Resource::Severity, "Severity", 11},
    {Resource::LastStateChangeTime, "Last State Change Time", 12},
    {Resource::MaximumDeferPeriod, "Maximum Defer Period", 13},
}};
}  // namespace

std::optional<State> state_from(std::int64_t value) {
  if (value < 0 || value > to_int(State::Updating)) return std::nullopt;
  return static_cast<State>(value);
}

std::optional<UpdateResult> update_result_from(std::int64_t value, ObjectVersion version) {
  if (value < 0 || value > to_int(max_update_result(version))) return std::nullopt;
  return static_cast<UpdateResult>(value);
}

std::string_view name_of(State s) { return kStateNames.at(static_cast<std::size_t>(s)); }
std::string_view name_of(UpdateResult r) { return kResultNames.at(static_cast<std::size_t>(r)); }
std::string_view name_of(ObjectVersion v) {
  switch (v) {
    case ObjectVersion::V1_0: return "1.0";
    case ObjectVersion::V1_1: return "1.1";
    case ObjectVersion::V1_2: return "1.2";
  }
  return "?";
}

std::string describe_state(std::int64_t value) {
  auto s = state_from(value);
  return s ? fmt::format("State {} ({})", value, name_of(*s)) : fmt::format("State {} (undefined)", value);
}

std::string describe_update_result(std::int64_t value) {
  auto r = update_result_from(value);
  return r ? fmt::format("Update Result {} ({})", value, name_of(*r)) : fmt::format("Update Result {} (undefined)", value);
}

UpdateResult max_update_result(ObjectVersion version) {
  return version == ObjectVersion::V1_0 ? UpdateResult::UnsupportedProtocol : UpdateResult::Deferred;
}

std::string_view name_of(Resource r) {
  for (const auto& row : kFirmwareUpdateResources)
    if (row.role == r) return row.name;
  return "?";
}

std::optional<std::uint16_t> ObjectModel::resource_id(Resource r) const {
  // /5 is the only firmware object so far; /33629 brings its own table here.
  for (const auto& row : kFirmwareUpdateResources)
    if (row.role == r) return row.id;
  return std::nullopt;
}

Path ObjectModel::path(Resource r, std::uint16_t instance) const {
  auto id = resource_id(r);
  if (!id) throw std::logic_error(fmt::format("object /{} has no {} resource", object_id, name_of(r)));
  return Path{object_id, instance, *id};
}

const ObjectModel& firmware_update_object() {
  static const ObjectModel model{};
  return model;
}

}  // namespace fc::lwm2m::firmware
