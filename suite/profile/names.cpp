#include "suite/profile/names.h"

#include <vector>

#include "suite/profile/capabilities.h"

namespace fc::profile {

namespace {

constexpr Choice<LwM2MVersion> lwm2m_versions[] = {
    {"1.0", LwM2MVersion::V1_0},
    {"1.1", LwM2MVersion::V1_1},
    {"1.2", LwM2MVersion::V1_2},
};

constexpr Choice<FirmwareObjectVersion> firmware_object_versions[] = {
    {"from-registration", FirmwareObjectVersion::FromRegistration},
    {"1.0", FirmwareObjectVersion::V1_0},
    {"1.1", FirmwareObjectVersion::V1_1},
};

constexpr Choice<SecurityMode> security_modes[] = {
    {"nosec", SecurityMode::NoSec},
    {"psk", SecurityMode::Psk},
    {"rpk", SecurityMode::Rpk},
    {"x509", SecurityMode::X509},
};

constexpr Choice<Transport> transports[] = {
    {"udp", Transport::Udp},
    {"tcp", Transport::Tcp},
};

constexpr Choice<BootstrapMode> bootstrap_modes[] = {
    {"factory", BootstrapMode::Factory},
    {"client-initiated", BootstrapMode::ClientInitiated},
};

constexpr Choice<DmCredentials> dm_credentials[] = {
    {"profile", DmCredentials::Profile},
    {"per-run", DmCredentials::PerRun},
};

constexpr Choice<RequestFormat> request_formats[] = {
    {"auto", RequestFormat::Auto},           {"text", RequestFormat::Text},
    {"tlv", RequestFormat::Tlv},             {"senml-json", RequestFormat::SenmlJson},
    {"senml-cbor", RequestFormat::SenmlCbor}, {"lwm2m-cbor", RequestFormat::LwM2MCbor},
    {"lwm2m-json", RequestFormat::LwM2MJson},
};

constexpr Choice<PullScheme> pull_schemes[] = {
    {"coap", PullScheme::Coap},         {"coaps", PullScheme::Coaps},
    {"http", PullScheme::Http},         {"https", PullScheme::Https},
    {"coap+tcp", PullScheme::CoapTcp},  {"coaps+tcp", PullScheme::CoapsTcp},
};

constexpr Choice<PackageFormat> package_formats[] = {
    {"reference", PackageFormat::Reference},
    {"anjay", PackageFormat::Anjay},
    {"files", PackageFormat::Files},
};

constexpr Choice<FaultMethod> fault_methods[] = {
    {"args", FaultMethod::Args},
    {"hook", FaultMethod::Hook},
    {"package", FaultMethod::Package},
    {"unsupported", FaultMethod::Unsupported},
};

constexpr Choice<AdapterType> adapter_types[] = {
    {"process", AdapterType::Process},
    {"hooks", AdapterType::Hooks},
    {"manual", AdapterType::Manual},
};

constexpr Choice<StdinMode> stdin_modes[] = {
    {"closed", StdinMode::Closed},
    {"keep-open", StdinMode::KeepOpen},
};

constexpr Choice<LinkPreset> link_presets[] = {
    {"none", LinkPreset::None},
    {"nbiot", LinkPreset::NbIot},
    {"ltem", LinkPreset::LteM},
};

// Numbers from the CoAP Content-Formats registry as LwM2M uses them (TS Transport §7.3).
constexpr Choice<std::uint16_t> content_formats[] = {
    {"text", 0},          {"link", 40},         {"opaque", 42},       {"cbor", 60},
    {"senml-json", 110},  {"senml-cbor", 112},  {"tlv", 11542},
    {"lwm2m-json", 11543}, {"lwm2m-cbor", 11544},
};


}  // namespace

template <>
std::span<const Choice<LwM2MVersion>> choices<LwM2MVersion>() {
  return lwm2m_versions;
}
template <>
std::span<const Choice<FirmwareObjectVersion>> choices<FirmwareObjectVersion>() {
  return firmware_object_versions;
}
template <>
std::span<const Choice<SecurityMode>> choices<SecurityMode>() {
  return security_modes;
}
template <>
std::span<const Choice<Transport>> choices<Transport>() {
  return transports;
}
template <>
std::span<const Choice<BootstrapMode>> choices<BootstrapMode>() {
  return bootstrap_modes;
}
template <>
std::span<const Choice<DmCredentials>> choices<DmCredentials>() {
  return dm_credentials;
}
template <>
std::span<const Choice<RequestFormat>> choices<RequestFormat>() {
  return request_formats;
}
template <>
std::span<const Choice<PullScheme>> choices<PullScheme>() {
  return pull_schemes;
}
template <>
std::span<const Choice<PackageFormat>> choices<PackageFormat>() {
  return package_formats;
}
template <>
std::span<const Choice<FaultMethod>> choices<FaultMethod>() {
  return fault_methods;
}
template <>
std::span<const Choice<AdapterType>> choices<AdapterType>() {
  return adapter_types;
}
template <>
std::span<const Choice<StdinMode>> choices<StdinMode>() {
  return stdin_modes;
}
template <>
std::span<const Choice<LinkPreset>> choices<LinkPreset>() {
  return link_presets;
}

std::span<const Choice<std::uint16_t>> content_format_choices() { return content_formats; }

std::string_view content_format_name(std::uint16_t number) {
  for (const auto& choice : content_formats) {
    if (choice.value == number) return choice.name;
  }
  return "?";
}

// Derived from the fault table (capabilities.h): the profile key is the fault's name.
std::span<const Choice<FaultInjection Faults::*>> fault_choices() {
  static const auto choices = [] {
    std::vector<Choice<FaultInjection Faults::*>> out;
    for (const auto& row : fault_table()) out.push_back({row.name, row.member});
    return out;
  }();
  return choices;
}

}  // namespace fc::profile
