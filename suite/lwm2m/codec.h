// Encoding and decoding of LwM2M payloads, one pure function pair per content format.
//
// Decoders turn a payload answering a request on `base` into flat Records with full paths;
// encoders do the reverse. Malformed input throws CodecError with the byte offset, never crashes.
#pragma once

#include "suite/common/bytes.h"
#include "suite/lwm2m/codec_error.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/path.h"
#include "suite/lwm2m/value.h"

namespace fc::lwm2m {

// text/plain (0): exactly one resource or resource instance at `base`. Opaque values in text
// are base64 (LwM2M 1.1+), used when the Record's Value holds Bytes.
Records decode_text(const Path& base, ByteView payload);
Bytes encode_text(const Path& base, const Records& records);

// application/octet-stream (42): one opaque value at `base`.
Records decode_opaque(const Path& base, ByteView payload);
Bytes encode_opaque(const Path& base, const Records& records);

// application/vnd.oma.lwm2m+tlv (11542): object, instance, resource or multiple-resource
// payloads relative to `base` (TS Core §7.4.3). Values decode as Value::raw_tlv. Encoding
// writes integers in the shortest of 1/2/4/8 bytes, floats as 8 bytes, bools as 1 byte.
Records decode_tlv(const Path& base, ByteView payload);
Bytes encode_tlv(const Path& base, const Records& records);

// Dispatch on the format; formats without a codec yet throw CodecError("unsupported").
Records decode(ContentFormat format, const Path& base, ByteView payload);
Bytes encode(ContentFormat format, const Path& base, const Records& records);
bool has_codec(ContentFormat format);

}  // namespace fc::lwm2m
