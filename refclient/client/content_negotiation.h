// Which Content-Format answers a Read (by Accept and target shape), which formats a Write may
// carry, and which the client advertises (TS Transport §7.3 as the reference client implements it).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/lwm2m/content_format.h"

namespace fc::refclient {

// The formats for several values the client answers and accepts, first the one it answers in
// when no Accept is given. text/plain and octet-stream (single values) are always available.
using FormatList = std::vector<lwm2m::ContentFormat>;

// Everything the enabler version has: 1.0 TLV and LwM2M JSON; 1.1 adds SenML JSON and CBOR;
// 1.2 adds LwM2M CBOR. TLV first, the format every earlier version of this client answered in.
FormatList default_formats(std::string_view lwm2m_version);
// Every format for several values the client can answer in: the choices of --formats.
const FormatList& supported_formats();

// The shape of what a Read returns: one value (a single resource or a resource instance),
// or several (a multiple resource, an instance, an object).
struct ReadTarget {
  bool single_value = true;
  bool opaque = false;  // the single value is of type Opaque
};

// Without Accept: text/plain for a single value (octet-stream for Opaque), the first of
// `formats` otherwise. With Accept: text only for single values, octet-stream only for single
// Opaque values, any of `formats` for anything. nullopt means 4.06 Not Acceptable. Accept 40
// (Discover) is not a Read format.
std::optional<lwm2m::ContentFormat> choose_read_format(std::optional<std::uint16_t> accept, const ReadTarget& target,
                                                       const FormatList& formats);

// Formats a Write payload may use: text/plain, octet-stream and `formats` (others get 4.15).
bool is_supported_write_format(std::uint16_t content_format, const FormatList& formats);

// The `ct` value of the Register's root link: the CoAP numbers of `formats` in ascending
// order, quoted when there are several ("\"110 11542\""), empty when there are none.
std::string advertised_formats(const FormatList& formats);

}  // namespace fc::refclient
