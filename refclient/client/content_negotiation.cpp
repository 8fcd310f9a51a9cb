#include "refclient/client/content_negotiation.h"

#include <algorithm>

namespace fc::refclient {

using lwm2m::ContentFormat;

namespace {

bool lists(const FormatList& formats, ContentFormat format) {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

}  // namespace

FormatList default_formats(std::string_view lwm2m_version) {
  if (lwm2m_version == "1.0") return {ContentFormat::Tlv, ContentFormat::LwM2mJson};
  FormatList formats{ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor, ContentFormat::LwM2mJson};
  if (lwm2m_version != "1.1") formats.push_back(ContentFormat::LwM2mCbor);
  return formats;
}

const FormatList& supported_formats() {
  static const FormatList all{ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                              ContentFormat::LwM2mCbor, ContentFormat::LwM2mJson};
  return all;
}

std::optional<ContentFormat> choose_read_format(std::optional<std::uint16_t> accept, const ReadTarget& target,
                                                const FormatList& formats) {
  if (!accept) {
    if (target.single_value) return target.opaque ? ContentFormat::Opaque : ContentFormat::Text;
    if (formats.empty()) return std::nullopt;
    return formats.front();
  }
  const auto asked = static_cast<ContentFormat>(*accept);
  switch (asked) {
    case ContentFormat::Text:
      if (target.single_value) return ContentFormat::Text;
      return std::nullopt;
    case ContentFormat::Opaque:
      if (target.single_value && target.opaque) return ContentFormat::Opaque;
      return std::nullopt;
    default:
      if (lists(formats, asked)) return asked;
      return std::nullopt;
  }
}

bool is_supported_write_format(std::uint16_t content_format, const FormatList& formats) {
  const auto format = static_cast<ContentFormat>(content_format);
  return format == ContentFormat::Text || format == ContentFormat::Opaque || lists(formats, format);
}

std::string advertised_formats(const FormatList& formats) {
  std::vector<unsigned> numbers;
  for (const auto format : formats) numbers.push_back(static_cast<unsigned>(format));
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  std::string words;
  for (const auto number : numbers) words += (words.empty() ? "" : " ") + std::to_string(number);
  return numbers.size() > 1 ? "\"" + words + "\"" : words;
}

}  // namespace fc::refclient
