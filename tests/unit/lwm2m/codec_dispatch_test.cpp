#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

TEST(CodecDispatch, KnowsWhichFormatsHaveCodecs) {
  EXPECT_TRUE(has_codec(ContentFormat::Text));
  EXPECT_TRUE(has_codec(ContentFormat::Opaque));
  EXPECT_TRUE(has_codec(ContentFormat::Tlv));
  EXPECT_FALSE(has_codec(ContentFormat::LinkFormat));
  EXPECT_FALSE(has_codec(ContentFormat::SenmlCbor));
}

TEST(CodecDispatch, RoutesToTheFormatsCodec) {
  const Path base{5, 0, 3};
  EXPECT_EQ(decode(ContentFormat::Text, base, to_bytes("2")), (Records{{base, Value("2")}}));
  EXPECT_EQ(decode(ContentFormat::Opaque, base, Bytes{2}), (Records{{base, Value(Bytes{2})}}));
  EXPECT_EQ(decode(ContentFormat::Tlv, base, Bytes{0xC1, 0x03, 0x02}),
            (Records{{base, Value::raw_tlv({2})}}));
  EXPECT_EQ(encode(ContentFormat::Text, base, {{base, Value(2)}}), to_bytes("2"));
  EXPECT_EQ(encode(ContentFormat::Tlv, base, {{base, Value(2)}}), (Bytes{0xC1, 0x03, 0x02}));
  EXPECT_EQ(encode(ContentFormat::Opaque, base, {{base, Value(Bytes{9})}}), (Bytes{9}));
}

TEST(CodecDispatch, FormatsWithoutCodecThrowUnsupported) {
  try {
    decode(ContentFormat::SenmlJson, Path{5, 0}, to_bytes("[]"));
    FAIL() << "decoded";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::SenmlJson);
    EXPECT_EQ(error.problem(), "unsupported");
  }
  EXPECT_THROW(encode(ContentFormat::LwM2mCbor, Path{5, 0}, {}), CodecError);
}

}  // namespace
}  // namespace fc::lwm2m
