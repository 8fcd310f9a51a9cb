// libcbor's streaming decoder reads one item head per call and never allocates; the tree is
// assembled here so each item keeps its offset, and declared lengths are checked against the
// bytes left before anything trusts them (cbor_load would allocate a declared array first).
#include "suite/lwm2m/located_cbor.h"

#include <cbor.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m::detail {
namespace {

std::string hex_byte(std::uint8_t byte) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  return std::string("0x") + kDigits[byte >> 4] + kDigits[byte & 0x0F];
}

class TreeBuilder {
 public:
  TreeBuilder(ContentFormat format, ByteView payload, std::size_t max_depth)
      : format_(format), payload_(payload), max_depth_(max_depth) {}

  CborNode build() {
    if (payload_.empty()) throw CodecError(format_, 0, "empty payload, expected a CBOR item");
    const auto callbacks = make_callbacks();
    std::size_t pos = 0;
    while (!complete_) {
      if (pos == payload_.size()) {
        throw CodecError(format_, pos,
                         "truncated CBOR: " + std::string(describe(open_.back().node->kind)) +
                             " at byte " + std::to_string(open_.back().node->offset) +
                             " is not complete");
      }
      item_offset_ = pos;
      declared_ = 0;
      const auto result =
          cbor_stream_decode(payload_.data() + pos, payload_.size() - pos, &callbacks, this);
      if (result.status == CBOR_DECODER_NEDATA) {
        throw CodecError(format_, pos,
                         "truncated CBOR item: needs " + std::to_string(result.required) +
                             " byte(s), " + std::to_string(payload_.size() - pos) + " left");
      }
      if (result.status != CBOR_DECODER_FINISHED || result.read == 0) {
        throw CodecError(format_, pos,
                         "malformed CBOR item (initial byte " + hex_byte(payload_[pos]) + ")");
      }
      if (error_) throw *error_;
      pos += result.read;
      // Every item takes at least one byte: a longer declared count cannot be honest.
      const auto left = payload_.size() - pos;
      if (declared_ > left) {
        throw CodecError(format_, item_offset_,
                         "the header of " + std::string(describe(declared_kind_)) + " declares " +
                             std::to_string(declared_) + " item(s), but only " +
                             std::to_string(left) + " byte(s) follow");
      }
    }
    if (pos != payload_.size()) {
      throw CodecError(
          format_, pos,
          std::to_string(payload_.size() - pos) + " trailing byte(s) after the CBOR item");
    }
    return std::move(root_);
  }

 private:
  struct Open {
    CborNode* node;
    std::uint64_t remaining;  // items still expected; unused when indefinite
    bool indefinite;
  };

  static TreeBuilder& self(void* context) { return *static_cast<TreeBuilder*>(context); }

  // Callbacks run inside libcbor's C code: they record the first error, never throw.
  void fail(const std::string& problem) {
    if (!error_) error_.emplace(format_, item_offset_, problem);
  }

  bool in_indefinite_string() const {
    return !open_.empty() && open_.back().indefinite &&
           (open_.back().node->kind == CborNode::Kind::Bytes ||
            open_.back().node->kind == CborNode::Kind::Text);
  }

  CborNode* add(CborNode::Kind kind) {
    if (error_) return nullptr;
    if (in_indefinite_string()) {
      fail("an indefinite-length string may only hold definite chunks of its own type, got " +
           std::string(describe(kind)));
      return nullptr;
    }
    CborNode node;
    node.kind = kind;
    node.offset = item_offset_;
    if (open_.empty()) {
      root_ = std::move(node);
      return &root_;
    }
    auto& top = open_.back();
    top.node->items.push_back(std::move(node));
    if (!top.indefinite) --top.remaining;
    return &top.node->items.back();
  }

  void close_finished() {
    while (!open_.empty() && !open_.back().indefinite && open_.back().remaining == 0) {
      open_.pop_back();
    }
    if (open_.empty()) complete_ = true;
  }

  void leaf(CborNode* node) {
    if (node != nullptr) close_finished();
  }

  void push(CborNode* node, std::uint64_t remaining, bool indefinite) {
    if (node == nullptr) return;
    if (open_.size() == max_depth_) {
      fail("CBOR nested deeper than " + std::to_string(max_depth_) +
           " levels, more than this format uses");
      return;
    }
    // Safe to keep: only the innermost open container grows until it is closed.
    open_.push_back(Open{node, remaining, indefinite});
    if (!indefinite && remaining == 0) close_finished();
  }

  void container(CborNode::Kind kind, std::uint64_t items) {
    declared_ = items;
    declared_kind_ = kind;
    push(add(kind), items, false);
  }

  void string_piece(CborNode::Kind kind, cbor_data data, std::size_t length) {
    if (error_) return;
    if (in_indefinite_string()) {
      auto& top = *open_.back().node;
      if (top.kind != kind) {
        fail("an indefinite-length string may only hold definite chunks of its own type, got " +
             std::string(describe(kind)));
        return;
      }
      top.content.append(reinterpret_cast<const char*>(data), length);
      return;
    }
    auto* node = add(kind);
    if (node == nullptr) return;
    node->content.assign(reinterpret_cast<const char*>(data), length);
    close_finished();
  }

  void unsigned_value(std::uint64_t value) {
    auto* node = add(CborNode::Kind::Unsigned);
    if (node != nullptr) node->number = value;
    leaf(node);
  }

  void negative_value(std::uint64_t value) {
    auto* node = add(CborNode::Kind::Negative);
    if (node != nullptr) node->number = value;
    leaf(node);
  }

  void float_value(double value) {
    auto* node = add(CborNode::Kind::Float);
    if (node != nullptr) node->real = value;
    leaf(node);
  }

  void indefinite_break() {
    if (error_) return;
    if (open_.empty() || !open_.back().indefinite) {
      fail("a CBOR break outside an indefinite-length item");
      return;
    }
    const auto& top = *open_.back().node;
    if (top.kind == CborNode::Kind::Map && top.items.size() % 2 != 0) {
      fail("the indefinite-length map at byte " + std::to_string(top.offset) +
           " ends after a key without its value");
      return;
    }
    open_.pop_back();
    close_finished();
  }

  static cbor_callbacks make_callbacks() {
    cbor_callbacks callbacks = cbor_empty_callbacks;
    callbacks.uint8 = [](void* c, std::uint8_t v) { self(c).unsigned_value(v); };
    callbacks.uint16 = [](void* c, std::uint16_t v) { self(c).unsigned_value(v); };
    callbacks.uint32 = [](void* c, std::uint32_t v) { self(c).unsigned_value(v); };
    callbacks.uint64 = [](void* c, std::uint64_t v) { self(c).unsigned_value(v); };
    callbacks.negint8 = [](void* c, std::uint8_t v) { self(c).negative_value(v); };
    callbacks.negint16 = [](void* c, std::uint16_t v) { self(c).negative_value(v); };
    callbacks.negint32 = [](void* c, std::uint32_t v) { self(c).negative_value(v); };
    callbacks.negint64 = [](void* c, std::uint64_t v) { self(c).negative_value(v); };
    callbacks.byte_string = [](void* c, cbor_data data, std::size_t length) {
      self(c).string_piece(CborNode::Kind::Bytes, data, length);
    };
    callbacks.string = [](void* c, cbor_data data, std::size_t length) {
      self(c).string_piece(CborNode::Kind::Text, data, length);
    };
    callbacks.byte_string_start = [](void* c) {
      auto& b = self(c);
      b.push(b.add(CborNode::Kind::Bytes), 0, true);
    };
    callbacks.string_start = [](void* c) {
      auto& b = self(c);
      b.push(b.add(CborNode::Kind::Text), 0, true);
    };
    callbacks.array_start = [](void* c, std::size_t size) {
      self(c).container(CborNode::Kind::Array, size);
    };
    callbacks.indef_array_start = [](void* c) {
      auto& b = self(c);
      b.push(b.add(CborNode::Kind::Array), 0, true);
    };
    callbacks.map_start = [](void* c, std::size_t size) {
      // A map of n pairs holds 2n items; n near SIZE_MAX is caught as too long all the same.
      const auto items = size > SIZE_MAX / 2 ? SIZE_MAX : 2 * std::uint64_t{size};
      self(c).container(CborNode::Kind::Map, items);
    };
    callbacks.indef_map_start = [](void* c) {
      auto& b = self(c);
      b.push(b.add(CborNode::Kind::Map), 0, true);
    };
    callbacks.tag = [](void* c, std::uint64_t value) {
      auto& b = self(c);
      auto* node = b.add(CborNode::Kind::Tag);
      if (node != nullptr) node->number = value;
      b.push(node, 1, false);
    };
    callbacks.float2 = [](void* c, float v) { self(c).float_value(static_cast<double>(v)); };
    callbacks.float4 = [](void* c, float v) { self(c).float_value(static_cast<double>(v)); };
    callbacks.float8 = [](void* c, double v) { self(c).float_value(v); };
    callbacks.undefined = [](void* c) {
      auto& b = self(c);
      b.leaf(b.add(CborNode::Kind::Undefined));
    };
    callbacks.null = [](void* c) {
      auto& b = self(c);
      b.leaf(b.add(CborNode::Kind::Null));
    };
    callbacks.boolean = [](void* c, bool v) {
      auto& b = self(c);
      auto* node = b.add(CborNode::Kind::Boolean);
      if (node != nullptr) node->boolean = v;
      b.leaf(node);
    };
    callbacks.indef_break = [](void* c) { self(c).indefinite_break(); };
    return callbacks;
  }

  ContentFormat format_;
  ByteView payload_;
  std::size_t max_depth_;
  std::size_t item_offset_ = 0;
  std::uint64_t declared_ = 0;
  CborNode::Kind declared_kind_ = CborNode::Kind::Array;
  CborNode root_;
  bool complete_ = false;
  std::vector<Open> open_;
  std::optional<CodecError> error_;
};

}  // namespace

std::string_view describe(CborNode::Kind kind) {
  switch (kind) {
    case CborNode::Kind::Unsigned:
      return "an unsigned integer";
    case CborNode::Kind::Negative:
      return "a negative integer";
    case CborNode::Kind::Bytes:
      return "a byte string";
    case CborNode::Kind::Text:
      return "a text string";
    case CborNode::Kind::Array:
      return "an array";
    case CborNode::Kind::Map:
      return "a map";
    case CborNode::Kind::Tag:
      return "a tag";
    case CborNode::Kind::Float:
      return "a float";
    case CborNode::Kind::Boolean:
      return "a boolean";
    case CborNode::Kind::Null:
      return "null";
    case CborNode::Kind::Undefined:
      return "undefined";
  }
  return "item";
}

namespace {

// A client answering in JSON where CBOR was asked for: say so plainly.
bool looks_like_json(ByteView payload) {
  if (payload.empty() || (payload.front() != '[' && payload.front() != '{')) return false;
  return std::all_of(payload.begin(), payload.end(), [](std::uint8_t byte) {
    return (byte >= 0x20 && byte < 0x7F) || byte == '\t' || byte == '\r' || byte == '\n';
  });
}

}  // namespace

CborNode parse_located_cbor(ContentFormat format, ByteView payload, std::size_t max_depth) {
  try {
    return TreeBuilder(format, payload, max_depth).build();
  } catch (const CodecError& error) {
    if (!looks_like_json(payload)) throw;
    throw CodecError(format, error.offset(),
                     error.problem() + "; the payload looks like JSON text");
  }
}

std::optional<Value> cbor_number(ContentFormat format, const CborNode& node) {
  constexpr auto kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  switch (node.kind) {
    case CborNode::Kind::Unsigned:
      if (node.number <= kInt64Max) return Value(static_cast<std::int64_t>(node.number));
      return Value(node.number);
    case CborNode::Kind::Negative:
      if (node.number > kInt64Max) {
        throw CodecError(format, node.offset, "negative integer below the signed 64-bit range");
      }
      return Value(-1 - static_cast<std::int64_t>(node.number));
    case CborNode::Kind::Float:
      return Value(node.real);
    case CborNode::Kind::Tag:
      break;
    default:
      return std::nullopt;
  }
  const auto& tagged = node.items.front();
  if (node.number == 1) {
    if (tagged.kind == CborNode::Kind::Tag) return std::nullopt;
    return cbor_number(format, tagged);
  }
  if (node.number != 4) return std::nullopt;
  const auto is_integer = [](const CborNode& item) {
    return item.kind == CborNode::Kind::Unsigned || item.kind == CborNode::Kind::Negative;
  };
  if (tagged.kind != CborNode::Kind::Array || tagged.items.size() != 2 ||
      !std::all_of(tagged.items.begin(), tagged.items.end(), is_integer)) {
    throw CodecError(format, node.offset,
                     "a decimal fraction (tag 4) is an array of two integers [exponent, mantissa]");
  }
  const auto as_double = [&](const CborNode& item) {
    return item.kind == CborNode::Kind::Unsigned ? static_cast<double>(item.number)
                                                 : -1.0 - static_cast<double>(item.number);
  };
  return Value(as_double(tagged.items[1]) * std::pow(10.0, as_double(tagged.items[0])));
}

template <class Encode>
void CborWriter::head(Encode encode) {
  unsigned char buffer[9];
  const auto written = encode(buffer, sizeof buffer);
  out_.insert(out_.end(), buffer, buffer + written);
}

void CborWriter::unsigned_integer(std::uint64_t value) {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_uint(value, b, n); });
}

void CborWriter::integer(std::int64_t value) {
  if (value >= 0) return unsigned_integer(static_cast<std::uint64_t>(value));
  // -1 - n = value, so n = -(value + 1), which cannot overflow.
  const auto n = static_cast<std::uint64_t>(-(value + 1));
  head([&](unsigned char* b, std::size_t size) { return cbor_encode_negint(n, b, size); });
}

void CborWriter::float64(double value) {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_double(value, b, n); });
}

void CborWriter::boolean(bool value) {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_bool(value, b, n); });
}

void CborWriter::null() {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_null(b, n); });
}

void CborWriter::text(std::string_view value) {
  head([&](unsigned char* b, std::size_t n) {
    return cbor_encode_string_start(value.size(), b, n);
  });
  out_.insert(out_.end(), value.begin(), value.end());
}

void CborWriter::bytes(ByteView value) {
  head([&](unsigned char* b, std::size_t n) {
    return cbor_encode_bytestring_start(value.size(), b, n);
  });
  out_.insert(out_.end(), value.begin(), value.end());
}

void CborWriter::array(std::size_t items) {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_array_start(items, b, n); });
}

void CborWriter::map(std::size_t pairs) {
  head([&](unsigned char* b, std::size_t n) { return cbor_encode_map_start(pairs, b, n); });
}

}  // namespace fc::lwm2m::detail
