// application/senml+cbor (RFC 8428 §6; LwM2M TS Core 1.1 §7.4.5): SenML records as CBOR maps
// with RFC 8428's integer labels, opaque values as byte strings, and object links under the
// text label "vlo" (RFC 8428 §6 keeps integer labels for its own table; extensions use text).
#include <array>
#include <set>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/located_cbor.h"
#include "suite/lwm2m/senml_record.h"

namespace fc::lwm2m {
namespace {

using detail::CborNode;
using detail::Located;
using detail::SenmlFields;

constexpr auto kFormat = ContentFormat::SenmlCbor;
// The array, each record map, and a tag around a value (tag 4 adds its array).
constexpr std::size_t kMaxDepth = 5;

enum Label : std::int64_t {
  kBaseVersion = -1,
  kBaseName = -2,
  kBaseTime = -3,
  kBaseUnit = -4,
  kBaseValue = -5,
  kBaseSum = -6,
  kName = 0,
  kUnit = 1,
  kValue = 2,
  kStringValue = 3,
  kBoolValue = 4,
  kSum = 5,
  kTime = 6,
  kUpdateTime = 7,
  kDataValue = 8,
};

struct LabelName {
  std::int64_t label;
  std::string_view name;
};
constexpr std::array<LabelName, 15> kLabelNames{{
    {kBaseVersion, "bver"},
    {kBaseName, "bn"},
    {kBaseTime, "bt"},
    {kBaseUnit, "bu"},
    {kBaseValue, "bv"},
    {kBaseSum, "bs"},
    {kName, "n"},
    {kUnit, "u"},
    {kValue, "v"},
    {kStringValue, "vs"},
    {kBoolValue, "vb"},
    {kSum, "s"},
    {kTime, "t"},
    {kUpdateTime, "ut"},
    {kDataValue, "vd"},
}};

std::string label_name(std::int64_t label) {
  for (const auto& entry : kLabelNames) {
    if (entry.label == label) {
      return "label " + std::to_string(label) + " (" + std::string(entry.name) + ")";
    }
  }
  return "label " + std::to_string(label);
}

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(kFormat, offset, problem);
}

[[noreturn]] void wrong_kind(const CborNode& node, const std::string& label,
                             std::string_view want) {
  fail(node.offset, label + " must be " + std::string(want) + ", got " +
                        std::string(detail::describe(node.kind)));
}

const std::string& text_of(const CborNode& node, const std::string& label) {
  if (node.kind != CborNode::Kind::Text) wrong_kind(node, label, "a text string");
  return node.content;
}

Value number_of(const CborNode& node, const std::string& label) {
  auto number = detail::cbor_number(kFormat, node);
  if (!number) wrong_kind(node, label, "a number");
  return std::move(*number);
}

struct Key {
  bool is_text = false;
  std::int64_t label = 0;
  std::string text;
  auto operator<=>(const Key&) const = default;
};

Key read_key(const CborNode& key) {
  if (key.kind == CborNode::Kind::Text) return Key{true, 0, key.content};
  // Integer labels live in -6..8; anything far outside is unknown all the same.
  if (key.kind == CborNode::Kind::Unsigned && key.number < 1024) {
    return Key{false, static_cast<std::int64_t>(key.number), {}};
  }
  if (key.kind == CborNode::Kind::Negative && key.number < 1024) {
    return Key{false, -1 - static_cast<std::int64_t>(key.number), {}};
  }
  if (key.kind == CborNode::Kind::Unsigned || key.kind == CborNode::Kind::Negative) {
    return Key{false, 1024, {}};
  }
  fail(key.offset, "a SenML CBOR label is an integer or a text string, got " +
                       std::string(detail::describe(key.kind)));
}

std::string key_name(const Key& key) {
  return key.is_text ? "label \"" + key.text + "\"" : label_name(key.label);
}

SenmlFields read_record(const CborNode& record) {
  if (record.kind != CborNode::Kind::Map) {
    fail(record.offset,
         "a SenML record must be a map, got " + std::string(detail::describe(record.kind)));
  }
  SenmlFields fields;
  fields.offset = record.offset;
  std::set<Key> seen;
  for (std::size_t i = 0; i + 1 < record.items.size(); i += 2) {
    const auto& key_node = record.items[i];
    const auto& node = record.items[i + 1];
    const auto key = read_key(key_node);
    const auto name = key_name(key);
    if (!seen.insert(key).second) fail(key_node.offset, name + " appears twice");

    const auto set_value = [&](Value value) {
      if (fields.value) fail(key_node.offset, "record has a second value, " + name);
      fields.value = Located<Value>{std::move(value), node.offset};
    };
    const auto time_of = [&] {
      return Located<double>{number_of(node, name).as_float(), node.offset};
    };
    if (key.is_text) {
      if (key.text == "vlo") {
        set_value(Value(detail::parse_objlink(kFormat, node.offset, text_of(node, name))));
      } else if (!key.text.empty() && key.text.back() == '_') {
        fail(key_node.offset, name + " must be understood (ends in '_') and is not");
      }
      continue;
    }
    switch (key.label) {
      case kBaseName:
        fields.base_name = Located<std::string>{text_of(node, name), node.offset};
        break;
      case kBaseTime:
        fields.base_time = time_of();
        break;
      case kName:
        fields.name = Located<std::string>{text_of(node, name), node.offset};
        break;
      case kTime:
        fields.time = time_of();
        break;
      case kValue:
        set_value(number_of(node, name));
        break;
      case kStringValue:
        set_value(Value(text_of(node, name)));
        break;
      case kBoolValue:
        if (node.kind != CborNode::Kind::Boolean) wrong_kind(node, name, "a boolean");
        set_value(Value(node.boolean));
        break;
      case kDataValue:
        if (node.kind != CborNode::Kind::Bytes) wrong_kind(node, name, "a byte string");
        set_value(Value(to_bytes(node.content)));
        break;
      case kBaseValue:
      case kBaseSum:
        // They would change every value after them, which LwM2M never asks for.
        fail(key_node.offset, name + " is a base value or sum, which LwM2M does not use");
      default:
        break;  // RFC 8428 §4.4: other labels are ignored (units, sums, versions)
    }
  }
  return fields;
}

void write_value(detail::CborWriter& out, const Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t>) {
          out.integer(kValue);
          out.integer(v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          out.integer(kValue);
          out.unsigned_integer(v);
        } else if constexpr (std::is_same_v<T, double>) {
          out.integer(kValue);
          out.float64(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.integer(kBoolValue);
          out.boolean(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          out.integer(kStringValue);
          out.text(v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out.integer(kDataValue);
          out.bytes(v);
        } else if constexpr (std::is_same_v<T, ObjLink>) {
          out.text("vlo");
          out.text(detail::objlink_text(v));
        }
      },
      value.storage());
}

}  // namespace

TimedRecords decode_senml_cbor_timed(const Path& base, ByteView payload) {
  const auto root = detail::parse_located_cbor(kFormat, payload, kMaxDepth);
  if (root.kind != CborNode::Kind::Array) {
    fail(root.offset,
         "SenML CBOR is an array of records, got " + std::string(detail::describe(root.kind)));
  }
  std::vector<SenmlFields> fields;
  fields.reserve(root.items.size());
  for (const auto& record : root.items) fields.push_back(read_record(record));
  return detail::resolve_senml(kFormat, base, fields, false);
}

Records decode_senml_cbor(const Path& base, ByteView payload) {
  Records out;
  for (auto& timed : decode_senml_cbor_timed(base, payload)) out.push_back(std::move(timed.record));
  return out;
}

Bytes encode_senml_cbor(const Path& base, const Records& records) {
  const auto plan = detail::plan_senml(kFormat, base, records, false);
  detail::CborWriter out;
  out.array(plan.size());
  for (const auto& record : plan) {
    const std::size_t pairs =
        (record.base_name ? 1 : 0) + (record.name ? 1 : 0) + (record.value->empty() ? 0 : 1);
    out.map(pairs);
    if (record.base_name) {
      out.integer(kBaseName);
      out.text(*record.base_name);
    }
    if (record.name) {
      out.integer(kName);
      out.text(*record.name);
    }
    write_value(out, *record.value);
  }
  return out.take();
}

}  // namespace fc::lwm2m
