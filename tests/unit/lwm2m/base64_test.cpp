#include "suite/lwm2m/base64.h"

#include <gtest/gtest.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

std::size_t decode_error_offset(std::string_view text) {
  try {
    base64_decode(text);
  } catch (const CodecError& error) {
    return error.offset();
  }
  ADD_FAILURE() << "\"" << text << "\" decoded";
  return 999;
}

// RFC 4648 §10 test vectors.
TEST(Base64, EncodesRfcVectors) {
  EXPECT_EQ(base64_encode(to_bytes("")), "");
  EXPECT_EQ(base64_encode(to_bytes("f")), "Zg==");
  EXPECT_EQ(base64_encode(to_bytes("fo")), "Zm8=");
  EXPECT_EQ(base64_encode(to_bytes("foo")), "Zm9v");
  EXPECT_EQ(base64_encode(to_bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(base64_encode(to_bytes("fooba")), "Zm9vYmE=");
  EXPECT_EQ(base64_encode(to_bytes("foobar")), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(Bytes{0xFB, 0xFF, 0xBF}), "+/+/");
}

TEST(Base64, DecodesRfcVectors) {
  EXPECT_EQ(base64_decode(""), Bytes{});
  EXPECT_EQ(base64_decode("Zg=="), to_bytes("f"));
  EXPECT_EQ(base64_decode("Zm8="), to_bytes("fo"));
  EXPECT_EQ(base64_decode("Zm9vYmFy"), to_bytes("foobar"));
  EXPECT_EQ(base64_decode("+/+/"), (Bytes{0xFB, 0xFF, 0xBF}));
}

TEST(Base64, RoundTripsEveryByteValue) {
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::uint8_t>(i));
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(Base64, RejectsBadInputWithOffset) {
  EXPECT_EQ(decode_error_offset("Zm9"), 3u);       // length not a multiple of 4
  EXPECT_EQ(decode_error_offset("Zm9v!mFy"), 4u);  // character outside the alphabet
  EXPECT_EQ(decode_error_offset("Zm-v"), 2u);      // URL-safe alphabet is not base64
  EXPECT_EQ(decode_error_offset("Z=9v"), 1u);      // padding in the middle
  EXPECT_EQ(decode_error_offset("Zg==Zg=="), 2u);  // padding before more data
  EXPECT_EQ(decode_error_offset("===="), 0u);
  EXPECT_EQ(decode_error_offset("Zm9v\n"), 5u);
}

}  // namespace
}  // namespace fc::lwm2m
