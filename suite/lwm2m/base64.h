// Base64 (RFC 4648 §4, standard alphabet, padded): how text/plain carries opaque values.
#pragma once

#include <string>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::lwm2m {

std::string base64_encode(ByteView bytes);
// Throws CodecError(Text) with the offset of the first bad character, or of the end when the
// length is not a multiple of 4. Padding bits that are not zero are accepted.
Bytes base64_decode(std::string_view text);

}  // namespace fc::lwm2m
