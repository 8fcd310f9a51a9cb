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

// application/senml+json (110), RFC 8428 as TS Core 1.1 §7.4.4 uses it: an array of records
// whose bn + n resolve to absolute paths at or below `base`. Values are typed by label: v an
// int64 (uint64 above its range) or double, vs a string, vb a bool, vd opaque (base64url, RFC
// 8428 §4.3), vlo an ObjLink ("3:0"). A record without a value decodes to an empty Value. bt
// and t are applied and dropped here; senml_record.h has decoders that keep them. Encoding
// writes bn "/3/0/" with relative names (see detail::plan_senml), values by the same labels.
Records decode_senml_json(const Path& base, ByteView payload);
Bytes encode_senml_json(const Path& base, const Records& records);

// application/senml+cbor (112), RFC 8428 §6: the same records with integer labels (bn -2,
// bt -3, n 0, v 2, vs 3, vb 4, t 6, vd 8 as a byte string) and LwM2M's text label "vlo".
Records decode_senml_cbor(const Path& base, ByteView payload);
Bytes encode_senml_cbor(const Path& base, const Records& records);

// application/vnd.oma.lwm2m+cbor (11544, TS Core 1.2 §7.4.6): nested maps keyed by path ids,
// a key being one id or an array of ids, paths absolute from the root: {[3,0]: {0: "ACME",
// 6: {0: 1, 1: 5}}}. Leaves: integers, floats, bools, text (object links are text "3:0"),
// byte strings; null decodes to an empty Value. Encoding opens one key for `base` and nests
// one id per level below it.
Records decode_lwm2m_cbor(const Path& base, ByteView payload);
Bytes encode_lwm2m_cbor(const Path& base, const Records& records);

// application/vnd.oma.lwm2m+json (11543, TS Core 1.0 §6.4.4), the legacy JSON:
// {"bn":"/5/0/","e":[{"n":"3","v":0},{"n":"8/0","v":1}]} with v a number, bv a bool, sv a
// string (opaque values stay base64 text: there is no telling them apart), ov an ObjLink.
// Every entry needs a value. Encoding writes opaque values as sv in standard base64.
Records decode_lwm2m_json(const Path& base, ByteView payload);
Bytes encode_lwm2m_json(const Path& base, const Records& records);

// Dispatch on the format; formats without a codec yet throw CodecError("unsupported").
Records decode(ContentFormat format, const Path& base, ByteView payload);
Bytes encode(ContentFormat format, const Path& base, const Records& records);
bool has_codec(ContentFormat format);

}  // namespace fc::lwm2m
