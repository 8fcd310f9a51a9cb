#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

TEST(OpaqueCodec, DecodesBytesAtTheBase) {
  const Bytes package = {0x00, 0x01, 0xFE, 0xFF};
  EXPECT_EQ(decode_opaque(Path{5, 0, 0}, package), (Records{{Path{5, 0, 0}, Value(package)}}));
  EXPECT_EQ(decode_opaque(Path{5, 0, 0}, Bytes{}), (Records{{Path{5, 0, 0}, Value(Bytes{})}}));
}

TEST(OpaqueCodec, EncodesBytesAndRawTlvAsIs) {
  EXPECT_EQ(encode_opaque(Path{5, 0, 0}, {{Path{5, 0, 0}, Value(Bytes{1, 2})}}), (Bytes{1, 2}));
  EXPECT_EQ(encode_opaque(Path{5, 0, 0}, {{Path{5, 0, 0}, Value::raw_tlv({3})}}), (Bytes{3}));
}

TEST(OpaqueCodec, RejectsOtherBasesRecordsAndTypes) {
  EXPECT_THROW(decode_opaque(Path{5, 0}, Bytes{1}), CodecError);
  EXPECT_THROW(encode_opaque(Path{5, 0, 0}, {}), CodecError);
  EXPECT_THROW(encode_opaque(Path{5, 0, 0}, {{Path{5, 0, 1}, Value(Bytes{1})}}), CodecError);
  try {
    encode_opaque(Path{5, 0, 0}, {{Path{5, 0, 0}, Value(5)}});
    FAIL() << "integer written as opaque";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::Opaque);
    EXPECT_EQ(error.problem(), "/5/0/0 holds 5, not opaque data");
  }
}

}  // namespace
}  // namespace fc::lwm2m
