// TLV (TS Core §7.4.3): type byte, identifier, length, value; nested for instances and
// multiple resources.
#include <algorithm>
#include <bit>
#include <limits>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

// Bits 7-6 of the type byte.
enum class TlvKind : std::uint8_t {
  ObjectInstance = 0,
  ResourceInstance = 1,
  MultipleResource = 2,
  Resource = 3,
};

std::string_view kind_name(TlvKind kind) {
  switch (kind) {
    case TlvKind::ObjectInstance:
      return "an object instance TLV";
    case TlvKind::ResourceInstance:
      return "a resource instance TLV";
    case TlvKind::MultipleResource:
      return "a multiple resource TLV";
    case TlvKind::Resource:
      return "a resource TLV";
  }
  return "a TLV";
}

struct Tlv {
  TlvKind kind;
  std::uint16_t id;
  std::size_t offset;        // of the type byte, in the whole payload
  std::size_t value_offset;  // of the first value byte
  std::size_t value_length;
};

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(ContentFormat::Tlv, offset, problem);
}

// Reads the TLV starting at `pos`, which must end by `end`; moves `pos` past it.
Tlv read_tlv(ByteView payload, std::size_t& pos, std::size_t end) {
  const auto take = [&](std::size_t count, std::string_view field) {
    if (end - pos < count) {
      fail(pos, "truncated TLV header: " + std::string(field) + " needs " + std::to_string(count) +
                    " byte(s), " + std::to_string(end - pos) + " left");
    }
    std::size_t result = 0;
    for (std::size_t i = 0; i < count; ++i) result = (result << 8) | payload[pos + i];
    pos += count;
    return result;
  };
  Tlv tlv{};
  tlv.offset = pos;
  const auto type = payload[pos++];
  tlv.kind = static_cast<TlvKind>(type >> 6);
  const std::size_t id_size = (type & 0x20) != 0 ? 2 : 1;
  const std::size_t length_size = (type >> 3) & 0x03;
  const auto id_offset = pos;
  const auto id = take(id_size, "identifier");
  if (id == 0xFFFF) fail(id_offset, "TLV identifier 65535 is reserved");
  tlv.id = static_cast<std::uint16_t>(id);
  tlv.value_length = length_size == 0 ? std::size_t{type & 0x07u} : take(length_size, "length");
  tlv.value_offset = pos;
  if (end - pos < tlv.value_length) {
    fail(pos, "TLV value of " + std::to_string(tlv.value_length) + " byte(s) runs past the end (" +
                  std::to_string(end - pos) + " left)");
  }
  pos += tlv.value_length;
  return tlv;
}

// Reads the TLVs that exactly fill [begin, end) of the payload.
std::vector<Tlv> read_tlvs(ByteView payload, std::size_t begin, std::size_t end) {
  std::vector<Tlv> tlvs;
  std::size_t pos = begin;
  while (pos < end) tlvs.push_back(read_tlv(payload, pos, end));
  return tlvs;
}

Bytes value_bytes(ByteView payload, const Tlv& tlv) {
  const auto view = payload.subspan(tlv.value_offset, tlv.value_length);
  return Bytes(view.begin(), view.end());
}

void expect_kind(const Tlv& tlv, std::initializer_list<TlvKind> allowed, const Path& where) {
  for (const auto kind : allowed) {
    if (tlv.kind == kind) return;
  }
  fail(tlv.offset, std::string(kind_name(tlv.kind)) + " (id " + std::to_string(tlv.id) +
                       ") is not allowed directly below " + where.str());
}

void expect_id(const Tlv& tlv, std::uint16_t id, const Path& base) {
  if (tlv.id != id) {
    fail(tlv.offset, std::string(kind_name(tlv.kind)) + " for id " + std::to_string(tlv.id) +
                         " answers " + base.str() + ", which needs id " + std::to_string(id));
  }
}

void decode_resource_instances(ByteView payload, const Tlv& multiple, const Path& resource,
                               Records& out) {
  for (const auto& tlv :
       read_tlvs(payload, multiple.value_offset, multiple.value_offset + multiple.value_length)) {
    expect_kind(tlv, {TlvKind::ResourceInstance}, resource);
    out.push_back({resource.child(tlv.id), Value::raw_tlv(value_bytes(payload, tlv))});
  }
}

// A resource or multiple resource TLV below `instance`.
void decode_resource(ByteView payload, const Tlv& tlv, const Path& instance, Records& out) {
  expect_kind(tlv, {TlvKind::Resource, TlvKind::MultipleResource}, instance);
  const auto resource = instance.child(tlv.id);
  if (tlv.kind == TlvKind::Resource) {
    out.push_back({resource, Value::raw_tlv(value_bytes(payload, tlv))});
  } else {
    decode_resource_instances(payload, tlv, resource, out);
  }
}

void decode_instance_body(ByteView payload, std::size_t begin, std::size_t end,
                          const Path& instance, Records& out) {
  // One TLV at a time, children before siblings, so the error reported is the first in the
  // payload.
  for (std::size_t pos = begin; pos < end;)
    decode_resource(payload, read_tlv(payload, pos, end), instance, out);
}

void expect_end(std::size_t pos, ByteView payload, const Path& base) {
  if (pos != payload.size()) {
    fail(pos, std::to_string(payload.size() - pos) +
                  " trailing byte(s) after the TLV that answers " + base.str());
  }
}

}  // namespace

Records decode_tlv(const Path& base, ByteView payload) {
  Records out;
  if (base.is_root()) fail(0, "a TLV payload cannot answer a request on /");
  if (base.is_object()) {
    for (std::size_t pos = 0; pos < payload.size();) {
      const auto tlv = read_tlv(payload, pos, payload.size());
      expect_kind(tlv, {TlvKind::ObjectInstance}, base);
      decode_instance_body(payload, tlv.value_offset, tlv.value_offset + tlv.value_length,
                           base.child(tlv.id), out);
    }
    return out;
  }
  if (base.is_instance()) {
    decode_instance_body(payload, 0, payload.size(), base, out);
    return out;
  }

  if (payload.empty()) fail(0, "empty payload, expected a TLV for " + base.str());
  std::size_t pos = 0;
  const auto first = read_tlv(payload, pos, payload.size());
  if (base.is_resource_instance()) {
    expect_kind(first, {TlvKind::ResourceInstance},
                Path{base.object(), base.instance(), base.resource()});
    expect_id(first, base.resource_instance(), base);
    expect_end(pos, payload, base);
    out.push_back({base, Value::raw_tlv(value_bytes(payload, first))});
    return out;
  }

  // A resource: one resource TLV, one multiple resource TLV, or its bare resource instances.
  if (first.kind == TlvKind::ResourceInstance) {
    for (const auto& tlv : read_tlvs(payload, 0, payload.size())) {
      expect_kind(tlv, {TlvKind::ResourceInstance}, base);
      out.push_back({base.child(tlv.id), Value::raw_tlv(value_bytes(payload, tlv))});
    }
    return out;
  }
  const auto instance = Path{base.object(), base.instance()};
  expect_kind(first, {TlvKind::Resource, TlvKind::MultipleResource}, instance);
  expect_id(first, base.resource(), base);
  expect_end(pos, payload, base);
  decode_resource(payload, first, instance, out);
  return out;
}

namespace {

[[noreturn]] void fail_encode(const std::string& problem) {
  throw CodecError(ContentFormat::Tlv, 0, problem);
}

void append_big_endian(Bytes& out, std::uint64_t value, std::size_t size) {
  for (std::size_t i = size; i-- > 0;) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

Bytes encode_signed(std::int64_t value) {
  std::size_t size = 8;
  if (value >= std::numeric_limits<std::int8_t>::min() &&
      value <= std::numeric_limits<std::int8_t>::max()) {
    size = 1;
  } else if (value >= std::numeric_limits<std::int16_t>::min() &&
             value <= std::numeric_limits<std::int16_t>::max()) {
    size = 2;
  } else if (value >= std::numeric_limits<std::int32_t>::min() &&
             value <= std::numeric_limits<std::int32_t>::max()) {
    size = 4;
  }
  Bytes out;
  append_big_endian(out, static_cast<std::uint64_t>(value), size);
  return out;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang before 17 does not deduce aggregate template arguments (P1816) without this guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

Bytes encode_value(const Record& record) {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> Bytes { fail_encode(record.path.str() + " has no value"); },
          [](std::int64_t v) { return encode_signed(v); },
          [](std::uint64_t v) {
            if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
              return encode_signed(static_cast<std::int64_t>(v));
            }
            Bytes out;
            append_big_endian(out, v, 8);
            return out;
          },
          [](double v) {
            Bytes out;
            append_big_endian(out, std::bit_cast<std::uint64_t>(v), 8);
            return out;
          },
          [](bool v) { return Bytes{static_cast<std::uint8_t>(v ? 1 : 0)}; },
          [](const std::string& v) { return to_bytes(v); },
          [](const Bytes& v) { return v; },
          [](const ObjLink& v) {
            Bytes out;
            append_big_endian(out, v.object, 2);
            append_big_endian(out, v.instance, 2);
            return out;
          },
          [](const Value::RawTlv& v) { return v.bytes; },
      },
      record.value.storage());
}

void append_tlv(Bytes& out, TlvKind kind, std::uint16_t id, ByteView value) {
  constexpr std::size_t kMaxLength = 0xFFFFFF;
  if (value.size() > kMaxLength) {
    fail_encode("a TLV value of " + std::to_string(value.size()) + " bytes exceeds 24-bit length");
  }
  auto type = static_cast<std::uint8_t>(static_cast<unsigned>(kind) << 6);
  if (id > 0xFF) type |= 0x20;
  std::size_t length_size = 0;
  if (value.size() <= 7) {
    type |= static_cast<std::uint8_t>(value.size());
  } else {
    length_size = value.size() <= 0xFF ? 1 : value.size() <= 0xFFFF ? 2 : 3;
    type |= static_cast<std::uint8_t>(length_size << 3);
  }
  out.push_back(type);
  append_big_endian(out, id, id > 0xFF ? 2 : 1);
  append_big_endian(out, value.size(), length_size);
  out.insert(out.end(), value.begin(), value.end());
}

// Records grouped by the id at `depth` of their paths, in order of first appearance.
std::vector<std::pair<std::uint16_t, Records>> group_by(const Records& records, std::size_t depth) {
  std::vector<std::pair<std::uint16_t, Records>> groups;
  for (const auto& record : records) {
    const auto id = record.path.ids()[depth];
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == id; });
    if (it == groups.end()) it = groups.insert(groups.end(), {id, {}});
    it->second.push_back(record);
  }
  return groups;
}

// Records of one resource (all at the resource path, or all below it) as one TLV.
void append_resource(Bytes& out, std::uint16_t id, const Records& records) {
  const bool single = records.front().path.is_resource();
  for (const auto& record : records) {
    if (record.path.is_resource() != single || (single && records.size() > 1)) {
      fail_encode("resource " + record.path.str() +
                  " is given both as a single value and as resource instances, or twice");
    }
  }
  if (single) {
    append_tlv(out, TlvKind::Resource, id, encode_value(records.front()));
    return;
  }
  Bytes instances;
  for (const auto& record : records) {
    append_tlv(instances, TlvKind::ResourceInstance, record.path.resource_instance(),
               encode_value(record));
  }
  append_tlv(out, TlvKind::MultipleResource, id, instances);
}

Bytes encode_instance_body(const Records& records) {
  Bytes body;
  for (const auto& [id, group] : group_by(records, 2)) append_resource(body, id, group);
  return body;
}

}  // namespace

Bytes encode_tlv(const Path& base, const Records& records) {
  if (base.is_root()) fail_encode("a TLV payload cannot be written at /");
  for (const auto& record : records) {
    if (!base.contains(record.path) || record.path.depth() < 3) {
      fail_encode("record " + record.path.str() +
                  " is not a resource or resource instance at or below " + base.str());
    }
  }
  Bytes out;
  if (base.is_object()) {
    for (const auto& [id, group] : group_by(records, 1)) {
      append_tlv(out, TlvKind::ObjectInstance, id, encode_instance_body(group));
    }
  } else if (base.is_instance()) {
    out = encode_instance_body(records);
  } else if (base.is_resource()) {
    if (records.empty()) fail_encode("no value for " + base.str());
    append_resource(out, base.resource(), records);
  } else {
    if (records.size() != 1) {
      fail_encode(base.str() + " needs exactly one record, got " + std::to_string(records.size()));
    }
    append_tlv(out, TlvKind::ResourceInstance, base.resource_instance(),
               encode_value(records.front()));
  }
  return out;
}

}  // namespace fc::lwm2m
