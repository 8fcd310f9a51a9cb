// SenML CBOR (112): integer labels, byte-string opaque values, the "vlo" text label, CBOR's
// number forms, round trips, and malformed payloads failing at the exact byte.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/senml_record.h"
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m {
namespace {

using testing_support::codec_error_of;

TEST(SenmlCbor, DecodesTheDeviceObjectRead) {
  // [{-2: "/3/0/", 0: "0", 3: "Open Mobile Alliance"}, {0: "6/0", 2: 1}, {0: "9", 2: 100},
  //  {0: "13", 2: 1367491215}]
  const auto payload = from_hex(
      "84a321652f332f302f00613003744f70656e204d6f62696c6520416c6c69616e6365a20063362f300201"
      "a2006139021864a200623133021a5182428f");
  EXPECT_EQ(decode_senml_cbor(Path{3, 0}, payload),
            (Records{{Path{3, 0, 0}, Value("Open Mobile Alliance")},
                     {Path{3, 0, 6, 0}, Value(1)},
                     {Path{3, 0, 9}, Value(100)},
                     {Path{3, 0, 13}, Value(1367491215)}}));
}

TEST(SenmlCbor, DecodesAMultipleInstanceResource) {
  // [{-2: "/5/0/8/", 0: "0", 2: 0}, {0: "1", 2: 1}]
  const auto payload = from_hex("82a321672f352f302f382f0061300200a20061310201");
  EXPECT_EQ(decode_senml_cbor(Path{5, 0, 8}, payload),
            (Records{{Path{5, 0, 8, 0}, Value(0)}, {Path{5, 0, 8, 1}, Value(1)}}));
}

TEST(SenmlCbor, TypesValuesByLabelAndCborType) {
  // [{-2: "/9/0/", 0: "0", 2: -3}, {0: "1", 2: 1.5}, {0: "2", 2: 18446744073709551615},
  //  {0: "3", 4: true}, {0: "4", 3: "2.0.0"}, {0: "5", 8: h'000102ff'}, {0: "6", "vlo": "3:0"},
  //  {0: "7", 2: 0.5 (single precision)}, {0: "8", 2: 4([-2, 27315])}]
  const auto payload = from_hex(
      "89a321652f392f302f0061300222a200613102fb3ff8000000000000a2006132021bffffffffffffffff"
      "a200613304f5a20061340365322e302e30a20061350844000102ffa200613663766c6f63333a30"
      "a200613702fa3f000000a200613802c48221196ab3");
  const auto records = decode_senml_cbor(Path{9, 0}, payload);
  ASSERT_EQ(records.size(), 9u);
  EXPECT_EQ(records[0].value, Value(std::int64_t{-3}));
  EXPECT_EQ(records[1].value, Value(1.5));
  EXPECT_EQ(records[2].value, Value(std::uint64_t{18446744073709551615u}));
  EXPECT_EQ(records[3].value, Value(true));
  EXPECT_EQ(records[4].value, Value("2.0.0"));
  EXPECT_EQ(records[5].value, Value(Bytes{0x00, 0x01, 0x02, 0xFF}));
  EXPECT_EQ(records[6].value, Value(ObjLink{3, 0}));
  EXPECT_EQ(records[7].value, Value(0.5));
  EXPECT_DOUBLE_EQ(records[8].value.as_float(), 273.15);  // decimal fraction 27315e-2
}

TEST(SenmlCbor, AppliesBaseTime) {
  // [{-2: "/3303/0/5700", -3: 1700000000, 2: 22.4, 6: -5}, {2: 22.9, 6: -30}]
  const auto payload = from_hex(
      "82a4216c2f333330332f302f35373030221a6553f10002fb40366666666666660624a202fb4036e66666"
      "66666606381d");
  const TimedRecords expected = {{{Path{3303, 0, 5700}, Value(22.4)}, 1699999995.0},
                                 {{Path{3303, 0, 5700}, Value(22.9)}, 1699999970.0}};
  EXPECT_EQ(decode_senml_cbor_timed(Path{3303, 0, 5700}, payload), expected);
}

TEST(SenmlCbor, JoinsIndefiniteLengthStrings) {
  // [{0: (_ "/5/0", "/3"), 3: (_ "ab", "c")}] with indefinite-length text strings
  const auto payload = from_hex("81a2007f642f352f30622f33ff037f6261626163ff");
  EXPECT_EQ(decode_senml_cbor(Path{5, 0, 3}, payload), (Records{{Path{5, 0, 3}, Value("abc")}}));
}

TEST(SenmlCbor, IgnoresUnknownLabels) {
  // [{0: "/5/0/3", 2: 1, 1: "%", -1: 10, "foo": 1, 99: 1}]
  const auto payload = from_hex("81a600662f352f302f330201016125200a63666f6f01186301");
  EXPECT_EQ(decode_senml_cbor(Path{5, 0, 3}, payload), (Records{{Path{5, 0, 3}, Value(1)}}));
}

TEST(SenmlCbor, EncodesAnInstanceWithRelativeNames) {
  const Records records = {{Path{3, 0, 0}, Value("ACME")}, {Path{3, 0, 6, 0}, Value(1)}};
  // [{-2: "/3/0/", 0: "0", 3: "ACME"}, {0: "6/0", 2: 1}]
  EXPECT_EQ(to_hex(encode_senml_cbor(Path{3, 0}, records)),
            "82a321652f332f302f006130036441434d45a20063362f300201");
}

TEST(SenmlCbor, EncodesEveryValueKind) {
  const Records records = {{Path{9, 0, 1}, Value(true)},
                           {Path{9, 0, 2}, Value(Bytes{0xFB})},
                           {Path{9, 0, 3}, Value(ObjLink{21, 4})},
                           {Path{9, 0, 4}, Value(-1.0)},
                           {Path{9, 0, 5}, Value(std::int64_t{-500})},
                           {Path{9, 0, 6}, Value()}};
  // [{-2: "/9/0/", 0: "1", 4: true}, {0: "2", 8: h'fb'}, {0: "3", "vlo": "21:4"},
  //  {0: "4", 2: -1.0}, {0: "5", 2: -500}, {0: "6"}]
  EXPECT_EQ(to_hex(encode_senml_cbor(Path{9, 0}, records)),
            "86a321652f392f302f00613104f5a20061320841fba200613363766c6f6432313a34"
            "a200613402fbbff0000000000000a2006135023901f3a1006136");
}

TEST(SenmlCbor, RoundTripsEveryBaseDepth) {
  const Records object = {{Path{5, 0, 3}, Value(2)},
                          {Path{5, 0, 8, 0}, Value(0)},
                          {Path{5, 0, 8, 1}, Value(1)},
                          {Path{5, 1, 1}, Value("coap://[::1]:5683/fw.bin")},
                          {Path{5, 1, 0}, Value(Bytes{1, 2, 3})},
                          {Path{5, 1, 9}, Value(-0.25)},
                          {Path{5, 1, 10}, Value(ObjLink{65535, 65535})},
                          {Path{5, 1, 11}, Value(std::uint64_t{18446744073709551615u})}};
  EXPECT_EQ(decode_senml_cbor(Path{5}, encode_senml_cbor(Path{5}, object)), object);
  EXPECT_EQ(decode_senml_cbor(Path{}, encode_senml_cbor(Path{}, object)), object);
  const Records instance(object.begin(), object.begin() + 3);
  EXPECT_EQ(decode_senml_cbor(Path{5, 0}, encode_senml_cbor(Path{5, 0}, instance)), instance);
  const Records resource = {{Path{5, 0, 3}, Value(2)}};
  EXPECT_EQ(decode_senml_cbor(Path{5, 0, 3}, encode_senml_cbor(Path{5, 0, 3}, resource)),
            resource);
}

using testing_support::MalformedPayloadTest;
using Malformed = testing_support::MalformedHex<ContentFormat::SenmlCbor>;

INSTANTIATE_TEST_SUITE_P(
    SenmlCbor, MalformedPayloadTest,
    testing::Values(
        Malformed{"Empty", Path{5, 0}, "", 0, "empty payload, expected a CBOR item"},
        Malformed{"TruncatedString", Path{5, 0}, "81a100662f35", 3,
                  "truncated CBOR item: needs 7 byte(s), 3 left"},
        Malformed{"UnterminatedArray", Path{5, 0}, "9fa0", 2,
                  "truncated CBOR: an array at byte 0 is not complete"},
        Malformed{"ImpossibleLength", Path{5, 0}, "9a00010000", 0,
                  "the header of an array declares 65536 item(s), but only 0 byte(s) follow"},
        Malformed{"ImpossibleMapLength", Path{5, 0}, "81bb7fffffffffffffff00", 1,
                  "the header of a map declares 18446744073709551614 item(s), but only 1 "
                  "byte(s) follow"},
        Malformed{"TrailingBytes", Path{5, 0}, "8000", 1, "1 trailing byte(s) after the CBOR item"},
        Malformed{"ReservedAdditionalInformation", Path{5, 0}, "811c", 1,
                  "malformed CBOR item (initial byte 0x1c)"},
        Malformed{"StrayBreak", Path{5, 0}, "81ff", 1,
                  "a CBOR break outside an indefinite-length item"},
        Malformed{"MixedChunks", Path{5, 0}, "7f4161ff", 1,
                  "an indefinite-length string may only hold definite chunks of its own type, "
                  "got a byte string"},
        Malformed{"TooDeep", Path{5, 0}, "81818181818100", 5,
                  "CBOR nested deeper than 5 levels, more than this format uses"},
        Malformed{"NotAnArray", Path{5, 0}, "a0", 0,
                  "SenML CBOR is an array of records, got a map"},
        Malformed{"RecordNotAMap", Path{5, 0}, "8101", 1,
                  "a SenML record must be a map, got an unsigned integer"},
        Malformed{"LabelOfWrongType", Path{5, 0}, "81a1f500", 2,
                  "a SenML CBOR label is an integer or a text string, got a boolean"},
        Malformed{"NameNotText", Path{5, 0}, "81a10001", 3,
                  "label 0 (n) must be a text string, got an unsigned integer"},
        Malformed{"NoName", Path{5, 0}, "81a10201", 1,
                  "record has no name, and no base name applies to it"},
        Malformed{"OutsideTheRequest", Path{5, 0}, "81a200662f342f302f310201", 3,
                  "record /4/0/1 is outside the requested path /5/0"},
        Malformed{"IntegerBelowInt64", Path{5, 0}, "81a200662f352f302f33023bffffffffffffffff", 11,
                  "negative integer below the signed 64-bit range"},
        Malformed{"BadObjectLink", Path{22, 0}, "81a200672f32322f302f3163766c6f6133", 15,
                  "object link \"3\" is not \"object:instance\" (e.g. \"3:0\")"},
        Malformed{"OpaqueAsText", Path{5, 0}, "81a200662f352f302f3008624141", 11,
                  "label 8 (vd) must be a byte string, got a text string"},
        Malformed{"BooleanAsInteger", Path{5, 0}, "81a200662f352f302f330401", 11,
                  "label 4 (vb) must be a boolean, got an unsigned integer"},
        Malformed{"BaseValue", Path{5, 0}, "81a200662f352f302f332401", 10,
                  "label -5 (bv) is a base value or sum, which LwM2M does not use"},
        Malformed{"MustUnderstand", Path{5, 0}, "81a300662f352f302f33020162785f01", 12,
                  "label \"x_\" must be understood (ends in '_') and is not"},
        Malformed{"LabelTwice", Path{5, 0}, "81a200662f352f302f3300662f352f302f35", 10,
                  "label 0 (n) appears twice"},
        Malformed{"TwoValues", Path{5, 0}, "81a300662f352f302f330201036131", 12,
                  "record has a second value, label 3 (vs)"},
        Malformed{"UnknownTag", Path{5, 0}, "81a200662f352f302f3302c5820101", 11,
                  "label 2 (v) must be a number, got a tag"},
        Malformed{"BrokenDecimalFraction", Path{5, 0}, "81a200662f352f302f3302c48101", 11,
                  "a decimal fraction (tag 4) is an array of two integers [exponent, "
                  "mantissa]"}),
    testing_support::malformed_name);

}  // namespace
}  // namespace fc::lwm2m
