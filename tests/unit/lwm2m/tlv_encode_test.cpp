// TLV encoding: exact bytes for known payloads, and round trips through decode for every type.
#include <gtest/gtest.h>

#include <limits>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

Bytes encoded_resource_value(const Value& value) {
  const auto payload = encode_tlv(Path{5, 0, 7}, {{Path{5, 0, 7}, value}});
  const auto records = decode_tlv(Path{5, 0, 7}, payload);
  EXPECT_EQ(records.size(), 1u);
  return std::get<Value::RawTlv>(records.at(0).value.storage()).bytes;
}

TEST(TlvEncode, FirmwareInstanceMatchesTheHandBuiltPayload) {
  const Records records = {
      {Path{5, 0, 3}, Value(2)},    {Path{5, 0, 5}, Value(0)}, {Path{5, 0, 8, 0}, Value(0)},
      {Path{5, 0, 8, 1}, Value(3)}, {Path{5, 0, 9}, Value(2)},
  };
  const Bytes expected = {0xC1, 0x03, 0x02, 0xC1, 0x05, 0x00, 0x86, 0x08, 0x41,
                          0x00, 0x00, 0x41, 0x01, 0x03, 0xC1, 0x09, 0x02};
  EXPECT_EQ(encode_tlv(Path{5, 0}, records), expected);
  EXPECT_EQ(decode(ContentFormat::Tlv, Path{5, 0}, expected).size(), 5u);
}

TEST(TlvEncode, GroupsByInstanceAndResourceInFirstAppearanceOrder) {
  const Records records = {
      {Path{5, 1, 3}, Value(1)},
      {Path{5, 0, 8, 0}, Value(0)},
      {Path{5, 1, 5}, Value(0)},
      {Path{5, 0, 8, 1}, Value(3)},
  };
  const Bytes expected = {
      0x06, 0x01, 0xC1, 0x03, 0x01, 0xC1, 0x05, 0x00,                    // instance 1
      0x08, 0x00, 0x08, 0x86, 0x08, 0x41, 0x00, 0x00, 0x41, 0x01, 0x03,  // instance 0
  };
  EXPECT_EQ(encode_tlv(Path{5}, records), expected);
}

TEST(TlvEncode, MultipleResourceAtResourceBase) {
  const Records records = {{Path{5, 0, 8, 0}, Value(0)}, {Path{5, 0, 8, 1}, Value(1)}};
  EXPECT_EQ(encode_tlv(Path{5, 0, 8}, records),
            (Bytes{0x86, 0x08, 0x41, 0x00, 0x00, 0x41, 0x01, 0x01}));
  EXPECT_EQ(decode_tlv(Path{5, 0, 8}, encode_tlv(Path{5, 0, 8}, records)).size(), 2u);
}

TEST(TlvEncode, ResourceInstanceAtItsBase) {
  EXPECT_EQ(encode_tlv(Path{5, 0, 8, 2}, {{Path{5, 0, 8, 2}, Value(1)}}),
            (Bytes{0x41, 0x02, 0x01}));
}

TEST(TlvEncode, IntegersTakeTheShortestTwosComplementLength) {
  EXPECT_EQ(encoded_resource_value(Value(0)), (Bytes{0x00}));
  EXPECT_EQ(encoded_resource_value(Value(127)), (Bytes{0x7F}));
  EXPECT_EQ(encoded_resource_value(Value(-128)), (Bytes{0x80}));
  EXPECT_EQ(encoded_resource_value(Value(128)), (Bytes{0x00, 0x80}));
  EXPECT_EQ(encoded_resource_value(Value(-129)), (Bytes{0xFF, 0x7F}));
  EXPECT_EQ(encoded_resource_value(Value(32768)), (Bytes{0x00, 0x00, 0x80, 0x00}));
  EXPECT_EQ(encoded_resource_value(Value(std::int64_t{2147483648})),
            (Bytes{0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encoded_resource_value(Value(std::uint64_t{200})), (Bytes{0x00, 0xC8}));
  EXPECT_EQ(encoded_resource_value(Value(std::numeric_limits<std::uint64_t>::max())),
            Bytes(8, 0xFF));
}

TEST(TlvEncode, OtherTypesHaveFixedOrRawForms) {
  EXPECT_EQ(encoded_resource_value(Value(1.5)),
            (Bytes{0x3F, 0xF8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encoded_resource_value(Value(true)), (Bytes{0x01}));
  EXPECT_EQ(encoded_resource_value(Value(false)), (Bytes{0x00}));
  EXPECT_EQ(encoded_resource_value(Value("fw")), (Bytes{'f', 'w'}));
  EXPECT_EQ(encoded_resource_value(Value(Bytes{0x00, 0xFF})), (Bytes{0x00, 0xFF}));
  EXPECT_EQ(encoded_resource_value(Value(ObjLink{3, 1})), (Bytes{0x00, 0x03, 0x00, 0x01}));
  EXPECT_EQ(encoded_resource_value(Value::raw_tlv({0x12, 0x34, 0x56})), (Bytes{0x12, 0x34, 0x56}));
}

TEST(TlvEncode, EveryTypeRoundTripsThroughItsTypedRead) {
  for (const std::int64_t v :
       {std::int64_t{0}, std::int64_t{-1}, std::int64_t{127}, std::int64_t{-32769},
        std::int64_t{4294967296}, std::numeric_limits<std::int64_t>::min(),
        std::numeric_limits<std::int64_t>::max()}) {
    EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value(v))).as_int(), v);
  }
  for (const std::uint64_t v : {std::uint64_t{0}, std::uint64_t{255}, std::uint64_t{65535},
                                std::numeric_limits<std::uint64_t>::max()}) {
    EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value(v))).as_uint(), v);
  }
  for (const double v : {0.0, -2.5, 1e300, 0.1}) {
    EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value(v))).as_float(), v);
  }
  EXPECT_TRUE(Value::raw_tlv(encoded_resource_value(Value(true))).as_bool());
  EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value("päckage"))).as_string(), "päckage");
  EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value(Bytes{1, 2, 3}))).as_bytes(),
            (Bytes{1, 2, 3}));
  EXPECT_EQ(Value::raw_tlv(encoded_resource_value(Value(ObjLink{65535, 65535}))).as_objlink(),
            (ObjLink{65535, 65535}));
}

TEST(TlvEncode, HeaderGrowsWithIdAndLength) {
  EXPECT_EQ(encode_tlv(Path{5, 0, 300}, {{Path{5, 0, 300}, Value(1)}}),
            (Bytes{0xE1, 0x01, 0x2C, 0x01}));
  const auto eight = encode_tlv(Path{5, 0, 1}, {{Path{5, 0, 1}, Value(Bytes(8, 0))}});
  EXPECT_EQ(Bytes(eight.begin(), eight.begin() + 3), (Bytes{0xC8, 0x01, 0x08}));
  const auto sixteen = encode_tlv(Path{5, 0, 1}, {{Path{5, 0, 1}, Value(Bytes(256, 0))}});
  EXPECT_EQ(Bytes(sixteen.begin(), sixteen.begin() + 4), (Bytes{0xD0, 0x01, 0x01, 0x00}));
  const auto big = encode_tlv(Path{5, 0, 0}, {{Path{5, 0, 0}, Value(Bytes(65536, 0))}});
  EXPECT_EQ(Bytes(big.begin(), big.begin() + 5), (Bytes{0xD8, 0x00, 0x01, 0x00, 0x00}));
  EXPECT_EQ(big.size(), 65536u + 5u);
}

TEST(TlvEncode, RejectsRecordsThatDoNotFitTheBase) {
  EXPECT_THROW(encode_tlv(Path{5, 0}, {{Path{3, 0, 1}, Value(1)}}), CodecError);
  EXPECT_THROW(encode_tlv(Path{5}, {{Path{5, 0}, Value(1)}}), CodecError);
  EXPECT_THROW(encode_tlv(Path{}, {{Path{5, 0, 1}, Value(1)}}), CodecError);
  EXPECT_THROW(encode_tlv(Path{5, 0, 3}, {}), CodecError);
  EXPECT_THROW(encode_tlv(Path{5, 0, 3}, {{Path{5, 0, 3}, Value()}}), CodecError);
  EXPECT_THROW(encode_tlv(Path{5, 0, 3}, {{Path{5, 0, 3}, Value(1)}, {Path{5, 0, 3}, Value(2)}}),
               CodecError);
  EXPECT_THROW(encode_tlv(Path{5, 0}, {{Path{5, 0, 8}, Value(1)}, {Path{5, 0, 8, 0}, Value(2)}}),
               CodecError);
}

}  // namespace
}  // namespace fc::lwm2m
