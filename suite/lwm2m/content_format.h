// CoAP Content-Format numbers used by LwM2M (TS Transport §7.3) and their names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::lwm2m {

// Keeps fc::to_string(ByteView) callable unqualified in fc::lwm2m, where the overload below
// would otherwise hide it.
using fc::to_string;

enum class ContentFormat : std::uint16_t {
  Text = 0,
  LinkFormat = 40,
  Opaque = 42,
  Cbor = 60,
  SenmlJson = 110,
  SenmlCbor = 112,
  Tlv = 11542,
  LwM2mJson = 11543,
  LwM2mCbor = 11544,
};

// "text/plain (0)", "application/vnd.oma.lwm2m+tlv (11542)"; unknown numbers print as "(N)".
std::string to_string(ContentFormat format);
// Short names used in profiles and reports: "text", "link", "opaque", "cbor", "senml-json",
// "senml-cbor", "tlv", "lwm2m-json", "lwm2m-cbor"; "" for a number not listed above.
std::string_view short_name(ContentFormat format);
std::optional<ContentFormat> from_short_name(std::string_view name);

}  // namespace fc::lwm2m
