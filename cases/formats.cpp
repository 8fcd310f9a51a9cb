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
  // One format's answers: "tlv" -> {/5/0/3 -> "0", ...}.
  struct Reading {
    std::string format;
    std::map<Path, std::string> values;
  };

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

  // The compared values from one multi-resource Read of each instance in `format` (nullopt: no
  // Accept, named by the format the device chose).
  Reading read_instances(std::optional<ContentFormat> format) {
    std::map<Path, std::string> values;
    std::map<Path, std::optional<server::DmResponse>> by_instance;
    for (const auto& c : kCompared) {
      if (!by_instance.count(c.read_from)) by_instance[c.read_from] = checked_read(c.read_from, format);
      const auto& response = by_instance[c.read_from];
      if (!response) continue;
      auto value = response->value(c.path);
      values[c.path] = value ? normalised(*value, c.numeric) : "<absent>";
    }
    const auto& first = by_instance.begin()->second;
    auto answered = format ? *format : static_cast<ContentFormat>(first ? first->content_format.value_or(0) : 0);
    return {lwm2m::to_string(answered), std::move(values)};
  }

  // The compared values, each read on its own in text/plain.
  Reading read_each_as_text() {
    std::map<Path, std::string> values;
    for (const auto& c : kCompared) {
      auto response = checked_read(c.path, ContentFormat::Text);
      if (!response) continue;
      auto value = response->value(c.path);
      values[c.path] = value ? normalised(*value, c.numeric) : "<absent>";
    }
    return {lwm2m::to_string(ContentFormat::Text), std::move(values)};
  }

  // The first reading (the baseline) has every compared value, and every other reading that
  // has one agrees with it.
  void expect_readings_agree(const std::vector<Reading>& readings) {
    const auto& baseline = readings.front();
    for (const auto& c : kCompared) {
      auto expected = baseline.values.find(c.path);
      if (expected == baseline.values.end()) continue;  // its read already failed
      expect_that(expected->second != "<absent>", "Read " + c.read_from.str() + " in " + baseline.format,
                  c.path.str() + " in the answer", "no " + c.path.str());
      for (std::size_t i = 1; i < readings.size(); ++i) {
        auto got = readings[i].values.find(c.path);
        if (got == readings[i].values.end()) continue;
        expect_that(got->second == expected->second, c.path.str() + " read in " + readings[i].format,
                    expected->second + ", as read in " + baseline.format, got->second);
      }
    }
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

  auto formats = instance_formats(*registration, profile(), run().server().config().request_formats.forced);
  std::string claimed;
  for (auto format : formats) claimed += (claimed.empty() ? "" : ", ") + std::string(lwm2m::short_name(format));
  measure("claimed formats", claimed.empty() ? "(none: the device's own choice)" : claimed);
  std::vector<std::optional<ContentFormat>> tried(formats.begin(), formats.end());
  if (tried.empty()) tried.push_back(std::nullopt);  // nothing advertised: the device's own choice is the baseline

  std::vector<Reading> readings;
  for (const auto& format : tried) readings.push_back(read_instances(format));
  readings.push_back(read_each_as_text());
  std::string formats_read;
  for (const auto& reading : readings) formats_read += (formats_read.empty() ? "" : ", ") + reading.format;
  measure("formats read", formats_read);
  expect_readings_agree(readings);
}

}  // namespace
}  // namespace fc::fixtures
