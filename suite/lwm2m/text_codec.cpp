// text/plain (TS Core §7.4.1): one value as UTF-8 text; opaque values as base64.
#include <charconv>
#include <optional>

#include "suite/lwm2m/base64.h"
#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(ContentFormat::Text, offset, problem);
}

void expect_single_value_path(const Path& base) {
  if (!base.is_resource() && !base.is_resource_instance()) {
    fail(0, "text/plain carries one resource or resource instance, not " + base.str());
  }
}

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and > U+10FFFF included).
std::optional<std::size_t> first_invalid_utf8(ByteView text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto lead = text[pos];
    std::size_t continuation = 0;
    std::uint32_t code_point = 0;
    std::uint32_t minimum = 0;
    if (lead < 0x80) {
      ++pos;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      continuation = 1, code_point = lead & 0x1Fu, minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      continuation = 2, code_point = lead & 0x0Fu, minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      continuation = 3, code_point = lead & 0x07u, minimum = 0x10000;
    } else {
      return pos;
    }
    if (text.size() - pos - 1 < continuation) return pos;
    for (std::size_t i = 1; i <= continuation; ++i) {
      if ((text[pos + i] & 0xC0) != 0x80) return pos;
      code_point = (code_point << 6) | (text[pos + i] & 0x3Fu);
    }
    if (code_point < minimum || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return pos;
    }
    pos += continuation + 1;
  }
  return std::nullopt;
}

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
// Clang before 17 does not deduce aggregate template arguments (P1816) without this guide.
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string text_form(const Record& record) {
  return std::visit(
      Overloaded{
          [&](std::monostate) -> std::string { fail(0, record.path.str() + " has no value"); },
          [](std::int64_t v) { return std::to_string(v); },
          [](std::uint64_t v) { return std::to_string(v); },
          [](double v) {
            char buffer[64];
            const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
            (void)ec;  // 64 characters always hold the shortest form of a double
            return std::string(buffer, end);
          },
          [](bool v) { return std::string(v ? "1" : "0"); },
          [](const std::string& v) { return v; },
          [](const Bytes& v) { return base64_encode(v); },
          [](const ObjLink& v) {
            return std::to_string(v.object) + ":" + std::to_string(v.instance);
          },
          [&](const Value::RawTlv&) -> std::string {
            // Without the resource's type there is no telling what text the bytes stand for.
            fail(0, record.path.str() + " holds a raw TLV value, which has no text form");
          },
      },
      record.value.storage());
}

}  // namespace

Records decode_text(const Path& base, ByteView payload) {
  expect_single_value_path(base);
  if (const auto bad = first_invalid_utf8(payload)) fail(*bad, "invalid UTF-8");
  return {Record{base, Value(fc::to_string(payload))}};
}

Bytes encode_text(const Path& base, const Records& records) {
  expect_single_value_path(base);
  if (records.size() != 1 || records.front().path != base) {
    fail(0, "text/plain needs exactly one record at " + base.str() + ", got " +
                std::to_string(records.size()));
  }
  return to_bytes(text_form(records.front()));
}

}  // namespace fc::lwm2m
