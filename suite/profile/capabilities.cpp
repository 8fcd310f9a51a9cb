#include "suite/profile/capabilities.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace fc::profile {

namespace {
template <PullScheme S>
bool pulls(const Profile& p) {
  return std::find(p.capabilities.pull.begin(), p.capabilities.pull.end(), S) != p.capabilities.pull.end();
}

constexpr std::array<CapabilityRow, 11> kCapabilities{{
    {Capability::PullCoap, "pull over coap", PullScheme::Coap, pulls<PullScheme::Coap>},
    {Capability::PullHttp, "pull over http", PullScheme::Http, pulls<PullScheme::Http>},
    {Capability::PullCoaps, "pull over coaps", PullScheme::Coaps, pulls<PullScheme::Coaps>},
    {Capability::PullHttps, "pull over https", PullScheme::Https, pulls<PullScheme::Https>},
    {Capability::PullCoapTcp, "pull over coap+tcp", PullScheme::CoapTcp, pulls<PullScheme::CoapTcp>},
    {Capability::PullCoapsTcp, "pull over coaps+tcp", PullScheme::CoapsTcp, pulls<PullScheme::CoapsTcp>},
    {Capability::Push, "push", std::nullopt, [](const Profile& p) { return p.capabilities.push; }},
    {Capability::Object11, "object /5 version 1.1", std::nullopt,
     [](const Profile& p) { return p.capabilities.object_1_1; }},
    {Capability::RebootOnUpdate, "reboot on update", std::nullopt,
     [](const Profile& p) { return p.capabilities.reboot_on_update; }},
    {Capability::Resumption, "download resumption", std::nullopt,
     [](const Profile& p) { return p.capabilities.resumption; }},
    {Capability::PskSecurity, "server security mode psk", std::nullopt,
     [](const Profile& p) { return p.server.security.mode == SecurityMode::Psk; }},
}};

constexpr std::array<FaultRow, 4> kFaults{{
    {Fault::FlashFull, "flash_full", &Faults::flash_full},
    {Fault::OutOfRam, "out_of_ram", &Faults::out_of_ram},
    {Fault::UpdateFails, "update_fails", &Faults::update_fails},
    {Fault::PowerLoss, "power_loss", &Faults::power_loss},
}};
}  // namespace

std::span<const CapabilityRow> capability_table() { return kCapabilities; }
std::span<const FaultRow> fault_table() { return kFaults; }

const CapabilityRow& row_of(Capability capability) {
  for (const auto& row : kCapabilities)
    if (row.capability == capability) return row;
  throw std::logic_error("a capability without a row in kCapabilities");
}

const FaultRow& row_of(Fault fault) {
  for (const auto& row : kFaults)
    if (row.fault == fault) return row;
  throw std::logic_error("a fault without a row in kFaults");
}

std::string to_string(Capability capability) { return std::string(row_of(capability).name); }
std::string to_string(Fault fault) { return std::string(row_of(fault).name); }

std::optional<Capability> capability_named(std::string_view name) {
  for (const auto& row : kCapabilities)
    if (row.name == name) return row.capability;
  return std::nullopt;
}

std::optional<Fault> fault_named(std::string_view name) {
  for (const auto& row : kFaults)
    if (row.name == name) return row.fault;
  return std::nullopt;
}

bool declares(const Profile& profile, Capability capability) { return row_of(capability).declared(profile); }
const FaultInjection& injection(const Profile& profile, Fault fault) { return profile.faults.*row_of(fault).member; }

Capability pull_capability(PullScheme scheme) {
  for (const auto& row : kCapabilities)
    if (row.pull_scheme == scheme) return row.capability;
  throw std::logic_error("a pull scheme without a capability row");
}

}  // namespace fc::profile
