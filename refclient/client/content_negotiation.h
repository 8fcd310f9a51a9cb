// Which Content-Format answers a Read (by Accept and target shape) and which formats a Write
// may carry (TS Transport §7.3 as the reference client implements it).
#pragma once

#include <cstdint>
#include <optional>

#include "suite/lwm2m/content_format.h"

namespace fc::refclient {

// The shape of what a Read returns: one value (a single resource or a resource instance),
// or several (a multiple resource, an instance, an object).
struct ReadTarget {
  bool single_value = true;
  bool opaque = false;  // the single value is of type Opaque
};

// Without Accept: text/plain for a single value (octet-stream for Opaque), TLV otherwise.
// With Accept: text only for single values, octet-stream only for single Opaque values, TLV
// always. nullopt means 4.06 Not Acceptable. Accept 40 (Discover) is not a Read format.
std::optional<lwm2m::ContentFormat> choose_read_format(std::optional<std::uint16_t> accept, const ReadTarget& target);

// Formats a Write payload may use: text/plain, octet-stream and TLV (others get 4.15).
bool is_supported_write_format(std::uint16_t content_format);

}  // namespace fc::refclient
