#include "suite/lwm2m/value.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang before 17 does not deduce aggregate template arguments (P1816) without this guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

// The format a failed read is blamed on: the one whose representation was being interpreted.
ContentFormat format_of(const Value::Storage& storage) {
  if (std::holds_alternative<Value::RawTlv>(storage)) return ContentFormat::Tlv;
  if (std::holds_alternative<std::string>(storage)) return ContentFormat::Text;
  if (std::holds_alternative<Bytes>(storage)) return ContentFormat::Opaque;
  return ContentFormat::Cbor;
}

[[noreturn]] void fail(const Value& value, std::string_view wanted, const std::string& why) {
  throw CodecError(format_of(value.storage()), 0,
                   "cannot read " + value.describe() + " as " + std::string(wanted) + ": " + why);
}

std::uint64_t big_endian(const Bytes& bytes) {
  std::uint64_t result = 0;
  for (const auto byte : bytes) result = (result << 8) | byte;
  return result;
}

bool is_integer_length(std::size_t length) {
  return length == 1 || length == 2 || length == 4 || length == 8;
}

std::int64_t tlv_signed(const Value& value, const Bytes& bytes) {
  if (!is_integer_length(bytes.size())) {
    fail(value, "integer",
         "TLV integers are 1, 2, 4 or 8 bytes, got " + std::to_string(bytes.size()));
  }
  const auto bits = 8 * bytes.size();
  auto raw = big_endian(bytes);
  if (bits < 64 && (raw >> (bits - 1)) != 0) raw |= ~std::uint64_t{0} << bits;  // sign-extend
  return static_cast<std::int64_t>(raw);
}

template <class Int>
Int parse_decimal(const Value& value, std::string_view wanted, const std::string& text) {
  Int result{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, result);
  if (ec == std::errc::result_out_of_range) fail(value, wanted, "out of range");
  if (ec != std::errc{} || ptr != end) fail(value, wanted, "not a decimal integer");
  return result;
}

std::string shortest_float(double number) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  (void)ec;  // 64 characters always hold the shortest form of a double
  return std::string(buffer, end);
}

std::string describe_bytes(std::string_view prefix, const Bytes& bytes) {
  constexpr std::size_t kShown = 32;
  if (bytes.size() <= kShown) return std::string(prefix) + "h'" + to_hex(bytes) + "'";
  return std::string(prefix) + "h'" + to_hex(ByteView(bytes).first(kShown)) + "…' (" +
         std::to_string(bytes.size()) + " bytes)";
}

}  // namespace

std::int64_t Value::as_int() const {
  constexpr std::string_view kWanted = "integer";
  return std::visit(
      Overloaded{
          [&](std::int64_t v) { return v; },
          [&](std::uint64_t v) -> std::int64_t {
            if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
              fail(*this, kWanted, "above the signed 64-bit range");
            }
            return static_cast<std::int64_t>(v);
          },
          [&](double v) -> std::int64_t {
            // 2^63 is exactly representable; anything at or above it does not fit.
            if (!(std::isfinite(v) && v == std::trunc(v) && v >= -9223372036854775808.0 &&
                  v < 9223372036854775808.0)) {
              fail(*this, kWanted, "not a whole number in the signed 64-bit range");
            }
            return static_cast<std::int64_t>(v);
          },
          [&](const std::string& v) { return parse_decimal<std::int64_t>(*this, kWanted, v); },
          [&](const RawTlv& v) { return tlv_signed(*this, v.bytes); },
          [&](const auto&) -> std::int64_t { fail(*this, kWanted, "not a number"); },
      },
      v_);
}

std::uint64_t Value::as_uint() const {
  constexpr std::string_view kWanted = "unsigned integer";
  return std::visit(
      Overloaded{
          [&](std::int64_t v) -> std::uint64_t {
            if (v < 0) fail(*this, kWanted, "negative");
            return static_cast<std::uint64_t>(v);
          },
          [&](std::uint64_t v) { return v; },
          [&](double v) -> std::uint64_t {
            if (!(std::isfinite(v) && v == std::trunc(v) && v >= 0.0 &&
                  v < 18446744073709551616.0)) {
              fail(*this, kWanted, "not a whole number in the unsigned 64-bit range");
            }
            return static_cast<std::uint64_t>(v);
          },
          [&](const std::string& v) -> std::uint64_t {
            if (!v.empty() && v.front() == '-') fail(*this, kWanted, "negative");
            return parse_decimal<std::uint64_t>(*this, kWanted, v);
          },
          [&](const RawTlv& v) -> std::uint64_t {
            // TS Core Appendix C: an Unsigned Integer resource is an unsigned big-endian number
            // of 1, 2, 4 or 8 bytes, so 0xFF is 255 here (and -1 for as_int).
            if (!is_integer_length(v.bytes.size())) {
              fail(*this, kWanted,
                   "TLV integers are 1, 2, 4 or 8 bytes, got " + std::to_string(v.bytes.size()));
            }
            return big_endian(v.bytes);
          },
          [&](const auto&) -> std::uint64_t { fail(*this, kWanted, "not a number"); },
      },
      v_);
}

double Value::as_float() const {
  constexpr std::string_view kWanted = "float";
  return std::visit(
      Overloaded{
          [&](std::int64_t v) { return static_cast<double>(v); },
          [&](std::uint64_t v) { return static_cast<double>(v); },
          [&](double v) { return v; },
          [&](const std::string& v) -> double {
            double result = 0;
            const auto* end = v.data() + v.size();
            const auto [ptr, ec] = std::from_chars(v.data(), end, result);
            if (ec != std::errc{} || ptr != end || !std::isfinite(result)) {
              fail(*this, kWanted, "not a finite decimal number");
            }
            return result;
          },
          [&](const RawTlv& v) -> double {
            if (v.bytes.size() == 4) {
              return static_cast<double>(
                  std::bit_cast<float>(static_cast<std::uint32_t>(big_endian(v.bytes))));
            }
            if (v.bytes.size() == 8) return std::bit_cast<double>(big_endian(v.bytes));
            fail(*this, kWanted,
                 "TLV floats are 4 or 8 bytes, got " + std::to_string(v.bytes.size()));
          },
          [&](const auto&) -> double { fail(*this, kWanted, "not a number"); },
      },
      v_);
}

bool Value::as_bool() const {
  constexpr std::string_view kWanted = "boolean";
  return std::visit(Overloaded{
                        [&](bool v) { return v; },
                        [&](const std::string& v) -> bool {
                          if (v == "0") return false;
                          if (v == "1") return true;
                          fail(*this, kWanted, "text booleans are \"0\" or \"1\"");
                        },
                        [&](const RawTlv& v) -> bool {
                          if (v.bytes.size() != 1) {
                            fail(*this, kWanted,
                                 "TLV booleans are 1 byte, got " + std::to_string(v.bytes.size()));
                          }
                          if (v.bytes[0] > 1) fail(*this, kWanted, "TLV booleans are 0 or 1");
                          return v.bytes[0] == 1;
                        },
                        [&](const auto&) -> bool { fail(*this, kWanted, "not a boolean"); },
                    },
                    v_);
}

std::string Value::as_string() const {
  constexpr std::string_view kWanted = "string";
  return std::visit(Overloaded{
                        [&](std::monostate) -> std::string { fail(*this, kWanted, "no value"); },
                        [&](std::int64_t v) { return std::to_string(v); },
                        [&](std::uint64_t v) { return std::to_string(v); },
                        [&](double v) { return shortest_float(v); },
                        [&](bool v) { return std::string(v ? "true" : "false"); },
                        [&](const std::string& v) { return v; },
                        [&](const Bytes& v) { return fc::to_string(v); },
                        [&](const ObjLink& v) {
                          return std::to_string(v.object) + ":" + std::to_string(v.instance);
                        },
                        [&](const RawTlv& v) { return fc::to_string(v.bytes); },
                    },
                    v_);
}

Bytes Value::as_bytes() const {
  constexpr std::string_view kWanted = "opaque";
  return std::visit(
      Overloaded{
          [&](const std::string& v) { return to_bytes(v); },
          [&](const Bytes& v) { return v; },
          [&](const RawTlv& v) { return v.bytes; },
          [&](const auto&) -> Bytes { fail(*this, kWanted, "not opaque data or text"); },
      },
      v_);
}

ObjLink Value::as_objlink() const {
  constexpr std::string_view kWanted = "object link";
  return std::visit(
      Overloaded{
          [&](const ObjLink& v) { return v; },
          [&](const std::string& v) -> ObjLink {
            const auto colon = v.find(':');
            if (colon == std::string::npos) fail(*this, kWanted, "text object links are \"3:0\"");
            const auto object = parse_decimal<std::uint16_t>(*this, kWanted, v.substr(0, colon));
            const auto instance = parse_decimal<std::uint16_t>(*this, kWanted, v.substr(colon + 1));
            return ObjLink{object, instance};
          },
          [&](const RawTlv& v) -> ObjLink {
            if (v.bytes.size() != 4) {
              fail(*this, kWanted,
                   "TLV object links are 4 bytes, got " + std::to_string(v.bytes.size()));
            }
            return ObjLink{static_cast<std::uint16_t>((v.bytes[0] << 8) | v.bytes[1]),
                           static_cast<std::uint16_t>((v.bytes[2] << 8) | v.bytes[3])};
          },
          [&](const auto&) -> ObjLink { fail(*this, kWanted, "not an object link"); },
      },
      v_);
}

std::string Value::describe() const {
  return std::visit(Overloaded{
                        [](std::monostate) { return std::string("(no value)"); },
                        [](std::int64_t v) { return std::to_string(v); },
                        [](std::uint64_t v) { return std::to_string(v); },
                        [](double v) {
                          auto text = shortest_float(v);
                          // Keep floats recognisable next to integers: 1.0, not 1.
                          if (text.find_first_of(".en") == std::string::npos) text += ".0";
                          return text;
                        },
                        [](bool v) { return std::string(v ? "true" : "false"); },
                        [](const std::string& v) { return "\"" + printable(to_bytes(v)) + "\""; },
                        [](const Bytes& v) { return describe_bytes("", v); },
                        [](const ObjLink& v) {
                          return std::to_string(v.object) + ":" + std::to_string(v.instance);
                        },
                        [](const RawTlv& v) { return describe_bytes("tlv ", v.bytes); },
                    },
                    v_);
}

}  // namespace fc::lwm2m
