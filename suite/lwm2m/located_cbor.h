// CBOR (RFC 8949) read with libcbor's streaming decoder into a small tree that remembers each
// item's byte offset, and a writer on libcbor's encoders: the CBOR-based codecs share both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/value.h"

namespace fc::lwm2m::detail {

struct CborNode {
  enum class Kind {
    Unsigned,
    Negative,
    Bytes,
    Text,
    Array,
    Map,
    Tag,
    Float,
    Boolean,
    Null,
    Undefined
  };

  Kind kind = Kind::Null;
  std::size_t offset = 0;  // of the item's initial byte (for a tag: of the tag)
  // Unsigned: the value. Negative: n for the value -1 - n. Tag: the tag number.
  std::uint64_t number = 0;
  double real = 0;  // Float (half and single precision widened)
  bool boolean = false;
  std::string content;  // Bytes and Text; indefinite-length chunks joined
  // Array: the elements. Map: key, value, key, value, ... Tag: the one tagged item.
  std::vector<CborNode> items;
};

// "an unsigned integer", "a map", "null", ... for messages.
std::string_view describe(CborNode::Kind kind);

// Parses exactly one CBOR data item filling the payload. Throws CodecError(format) with the
// byte offset on: malformed or truncated items, a container declaring more items than bytes
// remain, a misplaced break, trailing bytes, and nesting deeper than `max_depth` containers.
// Never allocates by a declared length before the bytes behind it are there.
CborNode parse_located_cbor(ContentFormat format, ByteView payload, std::size_t max_depth);

// A numeric item as a Value: integers (int64, or uint64 above its range), floats, a decimal
// fraction (tag 4, RFC 8949 §3.4.4) as a double, and a number under tag 1 (epoch time) as that
// number. nullopt for any other item. Throws CodecError(format) for a negative integer below
// the int64 range and for a malformed decimal fraction.
std::optional<Value> cbor_number(ContentFormat format, const CborNode& node);

// Appends CBOR items in preferred (shortest) serialisation; definite lengths only.
class CborWriter {
 public:
  void unsigned_integer(std::uint64_t value);
  void integer(std::int64_t value);
  void float64(double value);
  void boolean(bool value);
  void null();
  void text(std::string_view value);
  void bytes(ByteView value);
  void array(std::size_t items);
  void map(std::size_t pairs);
  const Bytes& bytes_written() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  template <class Encode>
  void head(Encode encode);
  Bytes out_;
};

}  // namespace fc::lwm2m::detail
