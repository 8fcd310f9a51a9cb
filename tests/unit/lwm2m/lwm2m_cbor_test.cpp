// LwM2M CBOR (11544): nested maps keyed by ids or id arrays, values at resources and resource
// instances, exact encodings, round trips, and malformed payloads failing at the exact byte.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m {
namespace {

using testing_support::codec_error_of;

TEST(LwM2mCbor, DecodesAnInstanceUnderAnArrayKey) {
  // {[3, 0]: {0: "Open Mobile Alliance", 6: {0: 1, 1: 5}, 9: 100}}
  const auto payload = from_hex(
      "a1820300a300744f70656e204d6f62696c6520416c6c69616e636506a200010105091864");
  EXPECT_EQ(decode_lwm2m_cbor(Path{3, 0}, payload),
            (Records{{Path{3, 0, 0}, Value("Open Mobile Alliance")},
                     {Path{3, 0, 6, 0}, Value(1)},
                     {Path{3, 0, 6, 1}, Value(5)},
                     {Path{3, 0, 9}, Value(100)}}));
}

TEST(LwM2mCbor, DecodesOneIdPerLevel) {
  // {3: {0: {0: "x"}}}
  EXPECT_EQ(decode_lwm2m_cbor(Path{3}, from_hex("a103a100a1006178")),
            (Records{{Path{3, 0, 0}, Value("x")}}));
}

TEST(LwM2mCbor, DecodesArrayKeysBelowTheTop) {
  // {[5, 0]: {3: 2, [8, 0]: 1, [8, 1]: 0}}
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0}, from_hex("a1820500a303028208000182080100")),
            (Records{{Path{5, 0, 3}, Value(2)},
                     {Path{5, 0, 8, 0}, Value(1)},
                     {Path{5, 0, 8, 1}, Value(0)}}));
}

TEST(LwM2mCbor, DecodesASingleResourceAndNull) {
  // {[5, 0, 3]: 2} and {[5, 0, 1]: null}
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0, 3}, from_hex("a18305000302")),
            (Records{{Path{5, 0, 3}, Value(2)}}));
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0, 1}, from_hex("a183050001f6")),
            (Records{{Path{5, 0, 1}, Value()}}));
}

TEST(LwM2mCbor, DecodesIndefiniteLengthMaps) {
  // {_ [3, 0]: {_ 0: "A"}}, as Anjay writes them
  EXPECT_EQ(decode_lwm2m_cbor(Path{3, 0}, from_hex("bf820300bf006141ffff")),
            (Records{{Path{3, 0, 0}, Value("A")}}));
}

TEST(LwM2mCbor, TypesValuesByCborType) {
  // {[9, 0]: {0: -3, 1: 1.5, 2: 18446744073709551615, 3: true, 4: "3:0", 5: h'00ff',
  //           6: 0.5 (single precision)}}
  const auto payload = from_hex(
      "a1820900a7002201fb3ff8000000000000021bffffffffffffffff03f50463333a30054200ff06fa3f0000"
      "00");
  EXPECT_EQ(decode_lwm2m_cbor(Path{9, 0}, payload),
            (Records{{Path{9, 0, 0}, Value(std::int64_t{-3})},
                     {Path{9, 0, 1}, Value(1.5)},
                     {Path{9, 0, 2}, Value(std::uint64_t{18446744073709551615u})},
                     {Path{9, 0, 3}, Value(true)},
                     {Path{9, 0, 4}, Value("3:0")},
                     {Path{9, 0, 5}, Value(Bytes{0x00, 0xFF})},
                     {Path{9, 0, 6}, Value(0.5)}}));
  // Object links travel as text; the typed read parses them.
  EXPECT_EQ(decode_lwm2m_cbor(Path{9, 0}, payload)[4].value.as_objlink(), (ObjLink{3, 0}));
}

TEST(LwM2mCbor, EncodesTheBaseAsOneKey) {
  const Records records = {{Path{3, 0, 0}, Value("ACME")}, {Path{3, 0, 6, 0}, Value(1)}};
  // {[3, 0]: {0: "ACME", 6: {0: 1}}}
  EXPECT_EQ(to_hex(encode_lwm2m_cbor(Path{3, 0}, records)), "a1820300a2006441434d4506a10001");
  // {3: {0: {0: "ACME"}}} from the root; {5: {0: {3: 2}}} from an object
  EXPECT_EQ(to_hex(encode_lwm2m_cbor(Path{}, {records[0]})), "a103a100a1006441434d45");
  EXPECT_EQ(to_hex(encode_lwm2m_cbor(Path{5}, {{Path{5, 0, 3}, Value(2)}})), "a105a100a10302");
  EXPECT_EQ(to_hex(encode_lwm2m_cbor(Path{5, 0}, {})), "a0");
}

TEST(LwM2mCbor, EncodesEveryValueKind) {
  const Records records = {{Path{9, 0, 1}, Value(false)},
                           {Path{9, 0, 2}, Value(Bytes{0xFB})},
                           {Path{9, 0, 3}, Value(ObjLink{21, 4})},
                           {Path{9, 0, 4}, Value(-1.0)},
                           {Path{9, 0, 5}, Value(std::int64_t{-500})},
                           {Path{9, 0, 6}, Value()}};
  // {[9, 0]: {1: false, 2: h'fb', 3: "21:4", 4: -1.0, 5: -500, 6: null}}
  EXPECT_EQ(to_hex(encode_lwm2m_cbor(Path{9, 0}, records)),
            "a1820900a601f40241fb036432313a3404fbbff0000000000000053901f306f6");
}

TEST(LwM2mCbor, RoundTripsEveryBaseDepth) {
  const Records object = {{Path{5, 0, 3}, Value(2)},
                          {Path{5, 0, 8, 0}, Value(0)},
                          {Path{5, 0, 8, 1}, Value(1)},
                          {Path{5, 1, 1}, Value("coap://[::1]:5683/fw.bin")},
                          {Path{5, 1, 0}, Value(Bytes{1, 2, 3})},
                          {Path{5, 1, 9}, Value(-0.25)},
                          {Path{5, 1, 11}, Value(std::uint64_t{18446744073709551615u})}};
  EXPECT_EQ(decode_lwm2m_cbor(Path{5}, encode_lwm2m_cbor(Path{5}, object)), object);
  EXPECT_EQ(decode_lwm2m_cbor(Path{}, encode_lwm2m_cbor(Path{}, object)), object);
  const Records instance(object.begin(), object.begin() + 3);
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0}, encode_lwm2m_cbor(Path{5, 0}, instance)), instance);
  const Records multiple(object.begin() + 1, object.begin() + 3);
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0, 8}, encode_lwm2m_cbor(Path{5, 0, 8}, multiple)),
            multiple);
  const Records one = {{Path{5, 0, 8, 1}, Value(1)}};
  EXPECT_EQ(decode_lwm2m_cbor(Path{5, 0, 8, 1}, encode_lwm2m_cbor(Path{5, 0, 8, 1}, one)), one);
}

TEST(LwM2mCbor, EncodeRefusesAmbiguousRecords) {
  EXPECT_EQ(codec_error_of([] {
              encode_lwm2m_cbor(Path{5, 0},
                                {{Path{5, 0, 8}, Value(1)}, {Path{5, 0, 8, 0}, Value(2)}});
            }).problem(),
            "record /5/0/8/0 repeats a path or nests below or above another record's value");
  EXPECT_EQ(codec_error_of([] { encode_lwm2m_cbor(Path{5, 0}, {{Path{5, 0}, Value(1)}}); })
                .problem(),
            "record /5/0 is not a resource or resource instance at or below /5/0");
  EXPECT_EQ(codec_error_of([] {
              encode_lwm2m_cbor(Path{5, 0, 1}, {{Path{5, 0, 1}, Value::raw_tlv({1})}});
            }).problem(),
            "/5/0/1 holds a raw TLV value, whose type (and so its CBOR form) is unknown");
}

using testing_support::MalformedPayloadTest;
using Malformed = testing_support::MalformedHex<ContentFormat::LwM2mCbor>;

INSTANTIATE_TEST_SUITE_P(
    LwM2mCbor, MalformedPayloadTest,
    testing::Values(
        Malformed{"Empty", Path{5, 0}, "", 0, "empty payload, expected a CBOR item"},
        Malformed{"Truncated", Path{5, 0}, "bf820500", 4,
                  "truncated CBOR: a map at byte 0 is not complete"},
        Malformed{"NotAMap", Path{5, 0}, "80", 0,
                  "LwM2M CBOR is a map keyed by path ids, got an array"},
        Malformed{"TextKey", Path{5, 0}, "a1613301", 1,
                  "a key is a path id or an array of ids, got a text string"},
        Malformed{"NegativeKey", Path{5, 0}, "a12001", 1,
                  "a key is a path id or an array of ids, got a negative integer"},
        Malformed{"ReservedId", Path{5, 0}, "a119ffff01", 1, "path id 65535 is above 65534"},
        Malformed{"EmptyArrayKey", Path{5, 0}, "a18001", 1, "an empty array is not a path key"},
        Malformed{"IdNotAnInteger", Path{5, 0}, "a18205613001", 3,
                  "a path id is an unsigned integer, got a text string"},
        Malformed{"PathTooLong", Path{}, "a185010203040506", 6,
                  "the path grows past 4 ids (object/instance/resource/instance)"},
        Malformed{"OutsideTheRequest", Path{5, 0}, "a18304000101", 1,
                  "path /4/0/1 is outside the requested path /5/0"},
        Malformed{"ValueOnAnInstance", Path{5, 0}, "a1820500" "01", 4,
                  "a value for /5/0: values belong to resources and resource instances"},
        Malformed{"PathTwice", Path{5, 0}, "a283050003018305000302", 6,
                  "path /5/0/3 repeats or lies below /5/0/3, which already has a value"},
        Malformed{"BelowAValue", Path{5, 0}, "a28305000801840500080002", 6,
                  "path /5/0/8/0 repeats or lies below /5/0/8, which already has a value"},
        Malformed{"AboveAValue", Path{5, 0}, "a28405000800018305000802", 7,
                  "path /5/0/8 has a value and so does /5/0/8/0 below it"},
        Malformed{"ArrayValue", Path{5, 0}, "a1830500038101", 5,
                  "an array is not an LwM2M CBOR value"},
        Malformed{"UnknownTag", Path{5, 0}, "a183050003c5820101", 5,
                  "a tag 5 is not an LwM2M CBOR value"},
        Malformed{"Undefined", Path{5, 0}, "a183050003f7", 5,
                  "undefined is not an LwM2M CBOR value"}),
    testing_support::malformed_name);

}  // namespace
}  // namespace fc::lwm2m
