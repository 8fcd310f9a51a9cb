// SenML records (RFC 8428) as LwM2M uses them, shared by the SenML JSON and SenML CBOR codecs
// and the legacy LwM2M JSON one: base name and base time resolution on the way in, names and
// value labels on the way out, and decoders that keep each record's time.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/path.h"
#include "suite/lwm2m/value.h"

namespace fc::lwm2m {

// A record with the time it carries: bt + t in seconds as sent (RFC 8428 §4.5.3: values below
// 2^28 are relative to now, larger ones absolute; left to the caller). nullopt without bt or t.
struct TimedRecord {
  Record record;
  std::optional<double> time;
  bool operator==(const TimedRecord&) const = default;
};
using TimedRecords = std::vector<TimedRecord>;

// The decoders of codec.h, keeping times (Send, notifications with historical values).
TimedRecords decode_senml_json_timed(const Path& base, ByteView payload);
TimedRecords decode_senml_cbor_timed(const Path& base, ByteView payload);
TimedRecords decode_lwm2m_json_timed(const Path& base, ByteView payload);

namespace detail {

template <class T>
struct Located {
  T value;
  std::size_t offset = 0;  // of the field's value in the payload
};

// One record's fields as the payload gave them, before base values apply.
struct SenmlFields {
  std::size_t offset = 0;  // of the record itself
  std::optional<Located<std::string>> base_name;
  std::optional<Located<double>> base_time;
  std::optional<Located<std::string>> name;
  std::optional<Located<double>> time;
  std::optional<Located<Value>> value;
};

// Applies each bn and bt to its record and the ones after it (RFC 8428 §4.5), and checks that
// every resolved name is an absolute LwM2M path at or below `base`, and that a record with a
// value names a resource or resource instance. With `value_required`, a record without a value
// is refused; otherwise it decodes to an empty Value (Read-Composite style requests).
TimedRecords resolve_senml(ContentFormat format, const Path& base,
                           const std::vector<SenmlFields>& fields, bool value_required);

// What a record writes, as the encoders see it.
struct SenmlOutRecord {
  std::optional<std::string> base_name;  // on the first record only
  std::optional<std::string> name;       // relative to base_name; nullopt when it is the path
  const Value* value = nullptr;          // never null; may be empty (no value label)
};

// Names for `records` below `base`: bn "/3/0/" with n "0", "6/1" when all records are below
// `base` (TS Core's examples); bn "/3/0/0" alone for a record at `base`; absolute names
// without bn for the root. Throws CodecError(format) for a record outside `base`, a raw TLV
// value (its type is unknown), or, with `value_required`, an empty value.
std::vector<SenmlOutRecord> plan_senml(ContentFormat format, const Path& base,
                                       const Records& records, bool value_required);

// "3:0" (TS Core Appendix C: Object ID, colon, Instance ID; 65535:65535 is the null link).
ObjLink parse_objlink(ContentFormat format, std::size_t offset, std::string_view text);
std::string objlink_text(const ObjLink& link);

// An integer as decoders hand it out: int64 when it fits, uint64 above that.
Value integer_value(std::uint64_t value);

// base64url without padding (RFC 4648 §5), as RFC 8428 §4.3 wants for SenML JSON "vd".
// Decoding takes padding when present and refuses the standard alphabet's '+' and '/',
// naming the character's index in the string; `offset` is where the string starts.
std::string base64url_encode(ByteView bytes);
Bytes base64url_decode(ContentFormat format, std::size_t offset, std::string_view text);

}  // namespace detail
}  // namespace fc::lwm2m
