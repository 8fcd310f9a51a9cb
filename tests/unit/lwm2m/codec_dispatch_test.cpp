#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

TEST(CodecDispatch, KnowsWhichFormatsHaveCodecs) {
  EXPECT_TRUE(has_codec(ContentFormat::Text));
  EXPECT_TRUE(has_codec(ContentFormat::Opaque));
  EXPECT_TRUE(has_codec(ContentFormat::Tlv));
  EXPECT_TRUE(has_codec(ContentFormat::SenmlJson));
  EXPECT_TRUE(has_codec(ContentFormat::SenmlCbor));
  EXPECT_TRUE(has_codec(ContentFormat::LwM2mJson));
  EXPECT_TRUE(has_codec(ContentFormat::LwM2mCbor));
  EXPECT_FALSE(has_codec(ContentFormat::LinkFormat));
  EXPECT_FALSE(has_codec(ContentFormat::Cbor));
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
  const Records state = {{base, Value(2)}};
  EXPECT_EQ(to_string(encode(ContentFormat::SenmlJson, base, state)), R"([{"bn":"/5/0/3","v":2}])");
  EXPECT_EQ(to_string(encode(ContentFormat::LwM2mJson, base, state)),
            R"({"bn":"/5/0/3","e":[{"v":2}]})");
  // [{-2: "/5/0/3", 2: 2}] and {[5, 0, 3]: 2}
  EXPECT_EQ(to_hex(encode(ContentFormat::SenmlCbor, base, state)), "81a221662f352f302f330202");
  EXPECT_EQ(to_hex(encode(ContentFormat::LwM2mCbor, base, state)), "a183050003" "02");
  for (const auto format : {ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                            ContentFormat::LwM2mJson, ContentFormat::LwM2mCbor}) {
    EXPECT_EQ(decode(format, base, encode(format, base, state)), state) << to_string(format);
  }
}

TEST(CodecDispatch, FormatsWithoutCodecThrowUnsupported) {
  try {
    decode(ContentFormat::Cbor, Path{5, 0, 3}, Bytes{0x02});
    FAIL() << "decoded";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::Cbor);
    EXPECT_EQ(error.problem(), "unsupported");
  }
  EXPECT_THROW(encode(ContentFormat::LinkFormat, Path{5, 0}, {}), CodecError);
}

}  // namespace
}  // namespace fc::lwm2m
