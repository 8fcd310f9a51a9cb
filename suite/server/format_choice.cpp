#include "suite/server/format_choice.h"

#include <algorithm>
#include <array>

namespace fc::server {

using lwm2m::ContentFormat;

namespace {

// Formats that carry several values, best first.
constexpr std::array kPreference{ContentFormat::LwM2mCbor, ContentFormat::SenmlCbor, ContentFormat::SenmlJson,
                                 ContentFormat::Tlv, ContentFormat::LwM2mJson};

bool lists(const std::vector<std::uint16_t>& numbers, ContentFormat format) {
  return std::find(numbers.begin(), numbers.end(), static_cast<std::uint16_t>(format)) != numbers.end();
}

template <typename Accepts>
std::optional<ContentFormat> best(Accepts accepts) {
  for (const auto format : kPreference) {
    if (accepts(format)) return format;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ContentFormat> negotiated_format(const RequestFormats& formats, const DeviceFormats& device) {
  const auto& advertised = device.advertised;
  const auto& declared = formats.declared;
  if (auto both = best([&](ContentFormat f) { return lists(advertised, f) && lists(declared, f); })) return both;
  if (auto said = best([&](ContentFormat f) { return lists(advertised, f); })) return said;
  if (auto claimed = best([&](ContentFormat f) { return lists(declared, f); })) return claimed;
  if (device.lwm2m_version == "1.0") return ContentFormat::Tlv;
  return std::nullopt;
}

std::optional<ContentFormat> choose_read_format(const lwm2m::Path& path, const RequestFormats& formats,
                                                const DeviceFormats& device) {
  const bool one_value = path.depth() >= 3;
  if (formats.forced && (one_value || *formats.forced != ContentFormat::Text)) return formats.forced;
  if (one_value) return std::nullopt;
  return negotiated_format(formats, device);
}

ContentFormat choose_write_format(bool several_values, const RequestFormats& formats, const DeviceFormats& device) {
  if (formats.forced && (!several_values || *formats.forced != ContentFormat::Text)) return *formats.forced;
  if (!several_values) return ContentFormat::Text;
  return negotiated_format(formats, device).value_or(ContentFormat::Tlv);
}

}  // namespace fc::server
