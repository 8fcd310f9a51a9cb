#include "refclient/client/content_negotiation.h"

namespace fc::refclient {

using lwm2m::ContentFormat;

std::optional<ContentFormat> choose_read_format(std::optional<std::uint16_t> accept, const ReadTarget& target) {
  if (!accept) {
    if (!target.single_value) return ContentFormat::Tlv;
    return target.opaque ? ContentFormat::Opaque : ContentFormat::Text;
  }
  switch (static_cast<ContentFormat>(*accept)) {
    case ContentFormat::Text:
      if (target.single_value) return ContentFormat::Text;
      return std::nullopt;
    case ContentFormat::Opaque:
      if (target.single_value && target.opaque) return ContentFormat::Opaque;
      return std::nullopt;
    case ContentFormat::Tlv:
      return ContentFormat::Tlv;
    default:
      return std::nullopt;
  }
}

bool is_supported_write_format(std::uint16_t content_format) {
  switch (static_cast<ContentFormat>(content_format)) {
    case ContentFormat::Text:
    case ContentFormat::Opaque:
    case ContentFormat::Tlv:
      return true;
    default:
      return false;
  }
}

}  // namespace fc::refclient
