#include "suite/lwm2m/value.h"

#include <gtest/gtest.h>

#include <limits>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

Value tlv(std::initializer_list<std::uint8_t> bytes) { return Value::raw_tlv(Bytes(bytes)); }

TEST(ValueTlv, ReadsSignedIntegersOfEveryLength) {
  EXPECT_EQ(tlv({0x05}).as_int(), 5);
  EXPECT_EQ(tlv({0xFF}).as_int(), -1);
  EXPECT_EQ(tlv({0x80, 0x00}).as_int(), -32768);
  EXPECT_EQ(tlv({0x00, 0xC8}).as_int(), 200);
  EXPECT_EQ(tlv({0x7F, 0xFF, 0xFF, 0xFF}).as_int(), 2147483647);
  EXPECT_EQ(tlv({0x80, 0, 0, 0, 0, 0, 0, 0}).as_int(), std::numeric_limits<std::int64_t>::min());
}

TEST(ValueTlv, RejectsIntegersOfOtherLengths) {
  EXPECT_THROW(tlv({}).as_int(), CodecError);
  EXPECT_THROW(tlv({0, 0, 1}).as_int(), CodecError);
  EXPECT_THROW(tlv({0, 0, 0, 0, 1}).as_uint(), CodecError);
  try {
    tlv({0, 0, 1}).as_int();
    FAIL() << "3-byte integer accepted";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::Tlv);
    EXPECT_EQ(error.problem(),
              "cannot read tlv h'000001' as integer: TLV integers are 1, 2, 4 or 8 bytes, got 3");
  }
}

TEST(ValueTlv, UnsignedReadTakesBytesAsUnsigned) {
  EXPECT_EQ(tlv({0xFF}).as_uint(), 255u);
  EXPECT_EQ(tlv({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}).as_uint(),
            std::numeric_limits<std::uint64_t>::max());
}

TEST(ValueTlv, ReadsFloatsOfFourAndEightBytes) {
  EXPECT_EQ(tlv({0x3F, 0xC0, 0x00, 0x00}).as_float(), 1.5);
  EXPECT_EQ(tlv({0xC0, 0x04, 0, 0, 0, 0, 0, 0}).as_float(), -2.5);
  EXPECT_THROW(tlv({0x3F, 0xC0}).as_float(), CodecError);
}

TEST(ValueTlv, ReadsBooleansOnlyAsOneByteZeroOrOne) {
  EXPECT_FALSE(tlv({0x00}).as_bool());
  EXPECT_TRUE(tlv({0x01}).as_bool());
  EXPECT_THROW(tlv({0x02}).as_bool(), CodecError);
  EXPECT_THROW(tlv({0x00, 0x01}).as_bool(), CodecError);
  EXPECT_THROW(tlv({}).as_bool(), CodecError);
}

TEST(ValueTlv, ReadsStringsBytesAndObjectLinks) {
  EXPECT_EQ(tlv({'f', 'w'}).as_string(), "fw");
  EXPECT_EQ(tlv({0x00, 0xFF}).as_bytes(), (Bytes{0x00, 0xFF}));
  EXPECT_EQ(tlv({0x00, 0x03, 0x00, 0x01}).as_objlink(), (ObjLink{3, 1}));
  EXPECT_EQ(tlv({0xFF, 0xFF, 0xFF, 0xFF}).as_objlink(), (ObjLink{65535, 65535}));
  EXPECT_THROW(tlv({0x00, 0x03, 0x00}).as_objlink(), CodecError);
}

TEST(ValueText, ReadsDecimalIntegers) {
  EXPECT_EQ(Value("42").as_int(), 42);
  EXPECT_EQ(Value("-42").as_int(), -42);
  EXPECT_EQ(Value("9223372036854775807").as_int(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(Value("18446744073709551615").as_uint(), std::numeric_limits<std::uint64_t>::max());
}

TEST(ValueText, RejectsAnythingButAFullDecimal) {
  for (const char* text : {"", "+1", " 1", "1 ", "1.0", "0x10", "1e3", "-", "abc", "--1"}) {
    EXPECT_THROW(Value(text).as_int(), CodecError) << '"' << text << '"';
  }
  EXPECT_THROW(Value("9223372036854775808").as_int(), CodecError);
  EXPECT_THROW(Value("-9223372036854775809").as_int(), CodecError);
  EXPECT_THROW(Value("18446744073709551616").as_uint(), CodecError);
  EXPECT_THROW(Value("-1").as_uint(), CodecError);
  try {
    Value("99999999999999999999").as_int();
    FAIL() << "overflow accepted";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::Text);
    EXPECT_EQ(error.problem(), "cannot read \"99999999999999999999\" as integer: out of range");
  }
}

TEST(ValueText, ReadsFloatsBooleansAndObjectLinks) {
  EXPECT_EQ(Value("1.25").as_float(), 1.25);
  EXPECT_EQ(Value("-3").as_float(), -3.0);
  EXPECT_EQ(Value("1e2").as_float(), 100.0);
  EXPECT_THROW(Value("1.2.3").as_float(), CodecError);
  EXPECT_THROW(Value("inf").as_float(), CodecError);
  EXPECT_THROW(Value("").as_float(), CodecError);
  EXPECT_TRUE(Value("1").as_bool());
  EXPECT_FALSE(Value("0").as_bool());
  EXPECT_THROW(Value("true").as_bool(), CodecError);
  EXPECT_EQ(Value("3:0").as_objlink(), (ObjLink{3, 0}));
  EXPECT_THROW(Value("3").as_objlink(), CodecError);
  EXPECT_THROW(Value("3:").as_objlink(), CodecError);
  EXPECT_THROW(Value("3:65536").as_objlink(), CodecError);
  EXPECT_EQ(Value("fw").as_bytes(), to_bytes("fw"));
}

TEST(ValueTyped, ConvertsBetweenCompatibleNumbers) {
  EXPECT_EQ(Value(5).as_uint(), 5u);
  EXPECT_EQ(Value(std::uint64_t{7}).as_int(), 7);
  EXPECT_EQ(Value(5).as_float(), 5.0);
  EXPECT_EQ(Value(2.0).as_int(), 2);
  EXPECT_THROW(Value(2.5).as_int(), CodecError);
  EXPECT_THROW(Value(-1).as_uint(), CodecError);
  EXPECT_THROW(Value(std::numeric_limits<std::uint64_t>::max()).as_int(), CodecError);
  EXPECT_THROW(Value(1e300).as_int(), CodecError);
}

TEST(ValueTyped, RefusesIncompatibleTypes) {
  EXPECT_THROW(Value(true).as_int(), CodecError);
  EXPECT_THROW(Value(1).as_bool(), CodecError);
  EXPECT_THROW(Value(Bytes{1}).as_int(), CodecError);
  EXPECT_THROW(Value(ObjLink{3, 0}).as_bytes(), CodecError);
  EXPECT_THROW(Value(5).as_objlink(), CodecError);
  EXPECT_THROW(Value().as_int(), CodecError);
  EXPECT_THROW(Value().as_string(), CodecError);
}

TEST(ValueTyped, PrintsAsString) {
  EXPECT_EQ(Value(-5).as_string(), "-5");
  EXPECT_EQ(Value(std::uint64_t{18446744073709551615u}).as_string(), "18446744073709551615");
  EXPECT_EQ(Value(0.1).as_string(), "0.1");
  EXPECT_EQ(Value(true).as_string(), "true");
  EXPECT_EQ(Value(ObjLink{3, 0}).as_string(), "3:0");
  EXPECT_EQ(Value(to_bytes("ab")).as_string(), "ab");
}

TEST(Value, Describes) {
  EXPECT_EQ(Value(5).describe(), "5");
  EXPECT_EQ(Value(1.0).describe(), "1.0");
  EXPECT_EQ(Value(1.5).describe(), "1.5");
  EXPECT_EQ(Value(1e300).describe(), "1e+300");
  EXPECT_EQ(Value(false).describe(), "false");
  EXPECT_EQ(Value("1.0").describe(), "\"1.0\"");
  EXPECT_EQ(Value(Bytes{0x00, 0xFF}).describe(), "h'00ff'");
  EXPECT_EQ(Value(ObjLink{3, 0}).describe(), "3:0");
  EXPECT_EQ(tlv({0x01}).describe(), "tlv h'01'");
  EXPECT_EQ(Value().describe(), "(no value)");
  EXPECT_EQ(Value(Bytes(40, 0xAB)).describe(), "h'" + to_hex(Bytes(32, 0xAB)) + "…' (40 bytes)");
}

TEST(Value, EqualityIsByTypeAndContent) {
  EXPECT_EQ(Value(5), Value(std::int64_t{5}));
  EXPECT_NE(Value(5), Value(std::uint64_t{5}));
  EXPECT_NE(Value("5"), tlv({'5'}));
  EXPECT_EQ(tlv({1}), tlv({1}));
}

}  // namespace
}  // namespace fc::lwm2m
