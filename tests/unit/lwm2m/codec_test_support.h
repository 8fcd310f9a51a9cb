// Helpers shared by the codec tests: the CodecError a call throws, and text payloads as bytes.
#pragma once

#include <gtest/gtest.h>

#include <string_view>

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

}  // namespace fc::lwm2m::testing_support
