// A JSON document parsed by nlohmann-json into a small tree that remembers where each value
// started, so the JSON-based codecs can name the byte offset of whatever they reject.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/value.h"

namespace fc::lwm2m::detail {

struct JsonNode {
  enum class Kind { Null, Boolean, Integer, Unsigned, Float, String, Array, Object };
  struct Key {
    std::string text;
    std::size_t offset = 0;  // of its opening quote
  };

  Kind kind = Kind::Null;
  std::size_t offset = 0;  // of the value's first byte
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  double number = 0;
  std::string text;
  std::vector<JsonNode> elements;  // array elements, or object member values
  std::vector<Key> keys;           // object member names, parallel to `elements`

  bool is_number() const {
    return kind == Kind::Integer || kind == Kind::Unsigned || kind == Kind::Float;
  }
  // The number as a double (integers converted); 0 for anything else.
  double as_double() const;
};

// "a string", "an array", ... for messages.
std::string_view describe(JsonNode::Kind kind);

// Parses the whole payload as one JSON value. Throws CodecError(format) with the byte offset
// for anything that is not JSON (nlohmann-json's own message), for trailing data, and for
// nesting deeper than `max_depth` arrays/objects (the codecs need at most three levels, and
// a shallow tree keeps destruction and traversal free of deep recursion).
JsonNode parse_located_json(ContentFormat format, ByteView payload, std::size_t max_depth);

// `node` itself when it is of `kind` (any number passes for Float); otherwise throws
// CodecError(format) at the node's offset: "\"v\" must be a number, got a string".
const JsonNode& expect_kind(ContentFormat format, const JsonNode& node, JsonNode::Kind kind, std::string_view label);

// A JSON number as the LwM2M value it denotes: int64, uint64 beyond int64, or double.
Value json_number_value(const JsonNode& node);

}  // namespace fc::lwm2m::detail
