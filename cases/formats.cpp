// Content formats: every format the device claims answers with the same values (TS Core
// §6.2.1 `ct`, §7.4; RFC 7252 §5.10.4 Accept).
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fixtures/fota_case.h"
#include "suite/lwm2m/codec.h"

namespace fc::fixtures {
namespace {

using lwm2m::ContentFormat;
using lwm2m::Path;

// The resources compared across formats, each read as the type it has in the object.
struct Compared {
  Path path;
  Path read_from;  // the instance whose multi-resource read carries it
  bool numeric;
};
const Compared kCompared[] = {
    {res::State, res::Instance, true},
    {res::UpdateResult, res::Instance, true},
    {res::FirmwareVersion, Path{3, 0}, false},
};

// One value as comparable text, or why it is not one.
std::string normalised(const lwm2m::Value& value, bool numeric) {
  try {
    return numeric ? std::to_string(value.as_int()) : value.as_string();
  } catch (const std::exception& error) {
    return std::string("<unreadable: ") + error.what() + ">";
  }
}

std::string format_name(std::optional<std::uint16_t> format) {
  return format ? lwm2m::to_string(static_cast<ContentFormat>(*format)) : std::string("no Content-Format");
}

// The formats a multi-resource Read is tried in: every format for several values the device
// claims and fotacheck decodes, from its Register (`ct`), from the profile (content_formats and a
// forced request_format), and TLV for a 1.0 device (mandatory there). TLV first: the baseline.
std::vector<ContentFormat> instance_formats(const server::Registration& registration, const profile::Profile& profile,
                                            std::optional<ContentFormat> forced) {
  std::vector<ContentFormat> formats;
  auto add = [&](ContentFormat f) {
    if (f == ContentFormat::Text || f == ContentFormat::Opaque || f == ContentFormat::LinkFormat) return;
    if (!lwm2m::has_codec(f) || std::find(formats.begin(), formats.end(), f) != formats.end()) return;
    formats.push_back(f);
  };
  if (registration.lwm2m_version == "1.0") add(ContentFormat::Tlv);
  for (auto number : registration.objects.content_formats) add(static_cast<ContentFormat>(number));
  for (auto number : profile.capabilities.content_formats) add(static_cast<ContentFormat>(number));
  if (forced) add(*forced);
  std::stable_partition(formats.begin(), formats.end(), [](ContentFormat f) { return f == ContentFormat::Tlv; });
  return formats;
}

class Formats : public FotaCase {
 protected:
  // Read `path` with this Accept: the answer when it is 2.05 in the format asked for and
  // decodes; nullopt with a finding otherwise.
  std::optional<server::DmResponse> checked_read(const Path& path, std::optional<ContentFormat> accept) {
    auto response = device().read(path, accept);
    std::string asked = accept ? lwm2m::to_string(*accept) : std::string("no Accept");
    if (!expect_code(response, {coap::code::Content}, "with Accept " + asked)) return std::nullopt;
    std::string action = "Read " + path.str() + " with Accept " + asked;
    if (accept && !expect_that(response.content_format == static_cast<std::uint16_t>(*accept), action,
                               "an answer in " + asked, "an answer in " + format_name(response.content_format)))
      return std::nullopt;
    if (!expect_that(!response.decode_error, action, "a payload that decodes", response.decode_error.value_or("")))
      return std::nullopt;
    return response;
  }
};

FOTA_CASE(Formats, AdvertisedFormatsAgree,
          id("FU-FMT-001"), level(Level::Must), clause("TS Core 6.2.1 (ct), 7.4; RFC 7252 5.10.4"),
          requirement("Read /5/0 and /3/0 in every content format the device claims (Register ct, profile "
                      "content_formats and request_format, TLV for 1.0) answers in that format, parses, and gives "
                      "the same State, Update Result and Firmware Version as text reads of /5/0/3, /5/0/5, "
                      "/3/0/3")) {
  const auto* registration = run().server().registry().find_by_endpoint(session().endpoint());
  if (!expect_that(registration != nullptr, "Find the registration of " + session().endpoint(), "a registered device",
                   "none"))
    return;
  std::string advertised;
  for (auto number : registration->objects.content_formats)
    advertised += (advertised.empty() ? "" : " ") + std::to_string(number);
  measure("advertised ct", advertised.empty() ? "(none)" : advertised);

  // Per format, the values read in it: "tlv" -> {/5/0/3 -> "0", ...}.
  std::vector<std::pair<std::string, std::map<Path, std::string>>> readings;
  auto formats = instance_formats(*registration, profile(), run().server().config().request_formats.forced);
  std::string claimed;
  for (auto format : formats) claimed += (claimed.empty() ? "" : ", ") + std::string(lwm2m::short_name(format));
  measure("claimed formats", claimed.empty() ? "(none: the device's own choice)" : claimed);
  std::vector<std::optional<ContentFormat>> tried(formats.begin(), formats.end());
  if (tried.empty()) tried.push_back(std::nullopt);  // nothing advertised: the device's own choice is the baseline
  for (const auto& format : tried) {
    std::map<Path, std::string> values;
    std::map<Path, std::optional<server::DmResponse>> by_instance;
    for (const auto& c : kCompared) {
      if (!by_instance.count(c.read_from)) by_instance[c.read_from] = checked_read(c.read_from, format);
      const auto& response = by_instance[c.read_from];
      if (!response) continue;
      auto value = response->value(c.path);
      values[c.path] = value ? normalised(*value, c.numeric) : "<absent>";
    }
    auto answered = format ? *format
                           : static_cast<ContentFormat>(by_instance.begin()->second
                                                            ? by_instance.begin()->second->content_format.value_or(0)
                                                            : 0);
    readings.emplace_back(lwm2m::to_string(answered), std::move(values));
  }
  std::map<Path, std::string> text_values;
  for (const auto& c : kCompared) {
    auto response = checked_read(c.path, ContentFormat::Text);
    if (!response) continue;
    auto value = response->value(c.path);
    text_values[c.path] = value ? normalised(*value, c.numeric) : "<absent>";
  }
  readings.emplace_back(lwm2m::to_string(ContentFormat::Text), std::move(text_values));

  std::string formats_read;
  for (const auto& [name, values] : readings) formats_read += (formats_read.empty() ? "" : ", ") + name;
  measure("formats read", formats_read);

  const auto& [baseline_name, baseline] = readings.front();
  for (const auto& c : kCompared) {
    auto expected = baseline.find(c.path);
    if (expected == baseline.end()) continue;  // its read already failed
    expect_that(expected->second != "<absent>", "Read " + c.read_from.str() + " in " + baseline_name,
                c.path.str() + " in the answer", "no " + c.path.str());
    for (std::size_t i = 1; i < readings.size(); ++i) {
      const auto& [name, values] = readings[i];
      auto got = values.find(c.path);
      if (got == values.end()) continue;
      expect_that(got->second == expected->second, c.path.str() + " read in " + name,
                  expected->second + ", as read in " + baseline_name, got->second);
    }
  }
}

}  // namespace
}  // namespace fc::fixtures
