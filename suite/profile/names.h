// The spelling of every enumerated profile value: one table each, read by the loader, the
// validator's summary and reports, so a name is written down exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "suite/profile/profile.h"

namespace fc::profile {

template <typename Value>
struct Choice {
  std::string_view name;
  Value value;
};

// Specialised in names.cpp for each enum of profile.h.
template <typename Enum>
std::span<const Choice<Enum>> choices();

template <>
std::span<const Choice<LwM2MVersion>> choices<LwM2MVersion>();
template <>
std::span<const Choice<FirmwareObjectVersion>> choices<FirmwareObjectVersion>();
template <>
std::span<const Choice<SecurityMode>> choices<SecurityMode>();
template <>
std::span<const Choice<Transport>> choices<Transport>();
template <>
std::span<const Choice<BootstrapMode>> choices<BootstrapMode>();
template <>
std::span<const Choice<DmCredentials>> choices<DmCredentials>();
template <>
std::span<const Choice<RequestFormat>> choices<RequestFormat>();
template <>
std::span<const Choice<PullScheme>> choices<PullScheme>();
template <>
std::span<const Choice<PackageFormat>> choices<PackageFormat>();
template <>
std::span<const Choice<FaultMethod>> choices<FaultMethod>();
template <>
std::span<const Choice<AdapterType>> choices<AdapterType>();
template <>
std::span<const Choice<StdinMode>> choices<StdinMode>();
template <>
std::span<const Choice<LinkPreset>> choices<LinkPreset>();

template <typename Enum>
std::string_view to_string(Enum value) {
  for (const auto& choice : choices<Enum>()) {
    if (choice.value == value) return choice.name;
  }
  return "?";
}

template <typename Value>
std::optional<Value> find_choice(std::span<const Choice<Value>> table, std::string_view name) {
  for (const auto& choice : table) {
    if (choice.name == name) return choice.value;
  }
  return std::nullopt;
}

template <typename Enum>
std::optional<Enum> parse_choice(std::string_view name) {
  return find_choice(choices<Enum>(), name);
}

// "a, b, c" for messages and docs.
template <typename Value>
std::string list_names(std::span<const Choice<Value>> table) {
  std::string out;
  for (const auto& choice : table) {
    if (!out.empty()) out += ", ";
    out += choice.name;
  }
  return out;
}

// Content formats by the short names of fc::lwm2m::ContentFormat, valued by CoAP number.
std::span<const Choice<std::uint16_t>> content_format_choices();
std::string_view content_format_name(std::uint16_t number);

// The faults an adapter may inject, by their profile key.
std::span<const Choice<FaultInjection Faults::*>> fault_choices();

}  // namespace fc::profile
