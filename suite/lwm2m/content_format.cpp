#include "suite/lwm2m/content_format.h"

#include <array>

namespace fc::lwm2m {
namespace {

struct FormatName {
  ContentFormat format;
  std::string_view media_type;
  std::string_view short_name;
};

constexpr std::array<FormatName, 9> kFormatNames{{
    {ContentFormat::Text, "text/plain", "text"},
    {ContentFormat::LinkFormat, "application/link-format", "link"},
    {ContentFormat::Opaque, "application/octet-stream", "opaque"},
    {ContentFormat::Cbor, "application/cbor", "cbor"},
    {ContentFormat::SenmlJson, "application/senml+json", "senml-json"},
    {ContentFormat::SenmlCbor, "application/senml+cbor", "senml-cbor"},
    {ContentFormat::Tlv, "application/vnd.oma.lwm2m+tlv", "tlv"},
    {ContentFormat::LwM2mJson, "application/vnd.oma.lwm2m+json", "lwm2m-json"},
    {ContentFormat::LwM2mCbor, "application/vnd.oma.lwm2m+cbor", "lwm2m-cbor"},
}};

const FormatName* find_format(ContentFormat format) {
  for (const auto& entry : kFormatNames) {
    if (entry.format == format) return &entry;
  }
  return nullptr;
}

}  // namespace

std::string to_string(ContentFormat format) {
  const auto number = "(" + std::to_string(static_cast<unsigned>(format)) + ")";
  const auto* entry = find_format(format);
  if (entry == nullptr) return number;
  return std::string(entry->media_type) + " " + number;
}

std::string_view short_name(ContentFormat format) {
  const auto* entry = find_format(format);
  return entry == nullptr ? std::string_view{} : entry->short_name;
}

std::optional<ContentFormat> from_short_name(std::string_view name) {
  for (const auto& entry : kFormatNames) {
    if (entry.short_name == name) return entry.format;
  }
  return std::nullopt;
}

}  // namespace fc::lwm2m
