#include <gtest/gtest.h>

#include <limits>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

std::string text_of(const Value& value) {
  return to_string(encode_text(Path{5, 0, 7}, {{Path{5, 0, 7}, value}}));
}

TEST(TextDecode, OneStringRecordAtTheBase) {
  EXPECT_EQ(decode_text(Path{5, 0, 3}, to_bytes("2")), (Records{{Path{5, 0, 3}, Value("2")}}));
  EXPECT_EQ(decode_text(Path{5, 0, 8, 1}, to_bytes("3")),
            (Records{{Path{5, 0, 8, 1}, Value("3")}}));
  EXPECT_EQ(decode_text(Path{5, 0, 1}, to_bytes("")), (Records{{Path{5, 0, 1}, Value("")}}));
  EXPECT_EQ(decode_text(Path{5, 0, 3}, to_bytes("2"))[0].value.as_int(), 2);
}

TEST(TextDecode, RejectsObjectAndInstanceBases) {
  for (const auto& base : {Path{}, Path{5}, Path{5, 0}}) {
    try {
      decode_text(base, to_bytes("2"));
      FAIL() << base.str();
    } catch (const CodecError& error) {
      EXPECT_EQ(error.format(), ContentFormat::Text);
      EXPECT_EQ(error.problem(),
                "text/plain carries one resource or resource instance, not " + base.str());
    }
  }
}

TEST(TextDecode, RejectsInvalidUtf8AtItsOffset) {
  const auto offset_of = [](const Bytes& payload) -> std::size_t {
    try {
      decode_text(Path{5, 0, 6}, payload);
    } catch (const CodecError& error) {
      return error.offset();
    }
    return 999;
  };
  EXPECT_EQ(offset_of({'a', 0xFF}), 1u);
  EXPECT_EQ(offset_of({'a', 'b', 0xC3}), 2u);                  // truncated sequence
  EXPECT_EQ(offset_of({0xC0, 0x80}), 0u);                      // overlong NUL
  EXPECT_EQ(offset_of({'x', 0xED, 0xA0, 0x80}), 1u);           // surrogate
  EXPECT_EQ(offset_of({0xC3, 0xA4, 0xE2, 0x82, 0xAC}), 999u);  // "ä€" is fine
}

TEST(TextEncode, PrintsEachType) {
  EXPECT_EQ(text_of(Value(-42)), "-42");
  EXPECT_EQ(text_of(Value(std::numeric_limits<std::uint64_t>::max())), "18446744073709551615");
  EXPECT_EQ(text_of(Value(0.1)), "0.1");
  EXPECT_EQ(text_of(Value(1.0)), "1");
  EXPECT_EQ(text_of(Value(1e21)), "1e+21");
  EXPECT_EQ(text_of(Value(true)), "1");
  EXPECT_EQ(text_of(Value(false)), "0");
  EXPECT_EQ(text_of(Value("coap://[::1]/fw")), "coap://[::1]/fw");
  EXPECT_EQ(text_of(Value(ObjLink{3, 0})), "3:0");
}

TEST(TextEncode, OpaqueValuesAreBase64) {
  EXPECT_EQ(text_of(Value(to_bytes("foobar"))), "Zm9vYmFy");
  EXPECT_EQ(text_of(Value(Bytes{0xFB, 0xFF})), "+/8=");
  EXPECT_EQ(text_of(Value(Bytes{})), "");
}

TEST(TextEncode, DecodedTextRoundTripsThroughTypedReads) {
  EXPECT_EQ(decode_text(Path{5, 0, 7}, encode_text(Path{5, 0, 7}, {{Path{5, 0, 7}, Value(-7)}}))[0]
                .value.as_int(),
            -7);
  EXPECT_EQ(decode_text(Path{5, 0, 7}, encode_text(Path{5, 0, 7}, {{Path{5, 0, 7}, Value(0.1)}}))[0]
                .value.as_float(),
            0.1);
  EXPECT_EQ(decode_text(Path{5, 0, 7},
                        encode_text(Path{5, 0, 7}, {{Path{5, 0, 7}, Value(ObjLink{3, 2})}}))[0]
                .value.as_objlink(),
            (ObjLink{3, 2}));
}

TEST(TextEncode, RejectsWhatTextCannotCarry) {
  EXPECT_THROW(encode_text(Path{5, 0}, {{Path{5, 0, 3}, Value(1)}}), CodecError);
  EXPECT_THROW(encode_text(Path{5, 0, 3}, {}), CodecError);
  EXPECT_THROW(encode_text(Path{5, 0, 3}, {{Path{5, 0, 5}, Value(1)}}), CodecError);
  EXPECT_THROW(encode_text(Path{5, 0, 3}, {{Path{5, 0, 3}, Value(1)}, {Path{5, 0, 3}, Value(2)}}),
               CodecError);
  EXPECT_THROW(encode_text(Path{5, 0, 3}, {{Path{5, 0, 3}, Value()}}), CodecError);
  EXPECT_THROW(encode_text(Path{5, 0, 3}, {{Path{5, 0, 3}, Value::raw_tlv({1})}}), CodecError);
}

}  // namespace
}  // namespace fc::lwm2m
