// A resource value as a payload carried it, with typed reads that follow the LwM2M encodings.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/path.h"

namespace fc::lwm2m {

struct ObjLink {
  std::uint16_t object = 0;
  std::uint16_t instance = 0;
  bool operator==(const ObjLink&) const = default;
};

// TLV carries no types: its values stay as raw bytes until read with a type (RawTlv).
// Text carries strings: typed reads parse them. SenML/CBOR carry types: typed reads convert
// between compatible types (an int read as unsigned, a float read from an int) or throw.
class Value {
 public:
  struct RawTlv {
    Bytes bytes;
    bool operator==(const RawTlv&) const = default;
  };
  using Storage = std::variant<std::monostate, std::int64_t, std::uint64_t, double, bool,
                               std::string, Bytes, ObjLink, RawTlv>;

  Value() = default;
  Value(std::int64_t v) : v_(v) {}
  Value(int v) : v_(std::int64_t{v}) {}
  Value(std::uint64_t v) : v_(v) {}
  Value(double v) : v_(v) {}
  Value(bool v) : v_(v) {}
  Value(std::string v) : v_(std::move(v)) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(Bytes v) : v_(std::move(v)) {}
  Value(ObjLink v) : v_(v) {}
  static Value raw_tlv(Bytes bytes) { return Value(Storage(RawTlv{std::move(bytes)})); }

  // Typed reads. Each throws CodecError naming the conversion that failed.
  std::int64_t as_int() const;       // TLV: 1/2/4/8-byte big-endian two's complement; text: decimal
  std::uint64_t as_uint() const;     // as_int's rules, refusing negatives; TLV bytes are
                                     // unsigned (TS Core App. C), so h'ff' is 255
  double as_float() const;           // TLV: 4/8-byte IEEE 754; text: decimal
  bool as_bool() const;              // TLV: one byte 0/1; text: "0"/"1"
  std::string as_string() const;     // TLV/opaque bytes taken as UTF-8; numbers printed
  Bytes as_bytes() const;            // opaque; strings as their UTF-8 bytes
  ObjLink as_objlink() const;        // TLV: 4 bytes; text: "3:0"

  bool empty() const { return std::holds_alternative<std::monostate>(v_); }
  const Storage& storage() const { return v_; }
  // For traces and failure messages: 5, "1.0", h'00ff', 3:0, tlv h'01'.
  std::string describe() const;

  bool operator==(const Value&) const = default;

 private:
  explicit Value(Storage s) : v_(std::move(s)) {}
  Storage v_;
};

// One resource (or resource instance) value at its full path: the flat form every codec
// decodes into and encodes from (what SenML calls a record).
struct Record {
  Path path;
  Value value;
  bool operator==(const Record&) const = default;
};
using Records = std::vector<Record>;

}  // namespace fc::lwm2m
