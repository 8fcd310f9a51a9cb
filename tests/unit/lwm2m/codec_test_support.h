// Helpers shared by the codec tests: the CodecError a call throws, and text payloads as bytes.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m::testing_support {

// The CodecError `call` throws; a test failure (and an empty error) when it throws none.
template <class Call>
CodecError codec_error_of(Call call) {
  try {
    call();
  } catch (const CodecError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a CodecError, none was thrown";
  return CodecError(ContentFormat::Text, 0, "(none thrown)");
}

inline Bytes bytes_of(std::string_view text) { return to_bytes(text); }

// One malformed payload, and the byte and the words its decoder must refuse it with. Every
// codec's test file fills the one parameterised test (MalformedPayloadTest, in
// malformed_payload_test.cpp) with its own table.
struct MalformedPayload {
  const char* name;
  ContentFormat format;
  Path base;
  Bytes payload;
  std::size_t offset;
  std::string problem;
};

class MalformedPayloadTest : public ::testing::TestWithParam<MalformedPayload> {};

// Table rows, by how the payload reads best: raw bytes (TLV), hex (CBOR) or text (JSON).
template <ContentFormat F>
struct MalformedBytes : MalformedPayload {
  MalformedBytes(const char* n, Path at, Bytes bytes, std::size_t byte, std::string why)
      : MalformedPayload{n, F, std::move(at), std::move(bytes), byte, std::move(why)} {}
};
template <ContentFormat F>
struct MalformedHex : MalformedPayload {
  MalformedHex(const char* n, Path at, const char* hex, std::size_t byte, std::string why)
      : MalformedPayload{n, F, std::move(at), from_hex(hex), byte, std::move(why)} {}
};
template <ContentFormat F>
struct MalformedText : MalformedPayload {
  MalformedText(const char* n, Path at, std::string_view text, std::size_t byte, std::string why)
      : MalformedPayload{n, F, std::move(at), to_bytes(text), byte, std::move(why)} {}
};

inline std::string malformed_name(const ::testing::TestParamInfo<MalformedPayload>& info) { return info.param.name; }

}  // namespace fc::lwm2m::testing_support
