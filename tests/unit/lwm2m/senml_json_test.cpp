// SenML JSON (110): the TS Core examples, base name and time resolution, every value label,
// round trips, and malformed payloads failing at the exact byte.
#include <gtest/gtest.h>

#include <cmath>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/senml_record.h"
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m {
namespace {

using testing_support::bytes_of;
using testing_support::codec_error_of;

TEST(SenmlJson, DecodesTheDeviceObjectReadOfTheSpec) {
  // TS Core 1.1 §7.4.4's Read of /3/0, shortened: bn "/3/0/" and names relative to it.
  const auto payload = bytes_of(
      R"([{"bn":"/3/0/","n":"0","vs":"Open Mobile Alliance"},)"
      R"({"n":"1","vs":"Lightweight M2M Client"},)"
      R"({"n":"6/0","v":1},{"n":"6/1","v":5},)"
      R"({"n":"9","v":100},{"n":"13","v":1367491215},{"n":"16","vs":"U"}])");
  const Records expected = {
      {Path{3, 0, 0}, Value("Open Mobile Alliance")},
      {Path{3, 0, 1}, Value("Lightweight M2M Client")},
      {Path{3, 0, 6, 0}, Value(1)},
      {Path{3, 0, 6, 1}, Value(5)},
      {Path{3, 0, 9}, Value(100)},
      {Path{3, 0, 13}, Value(1367491215)},
      {Path{3, 0, 16}, Value("U")},
  };
  EXPECT_EQ(decode_senml_json(Path{3, 0}, payload), expected);
}

TEST(SenmlJson, DecodesAMultipleInstanceResource) {
  const auto payload = bytes_of(R"([{"bn":"/5/0/8/","n":"0","v":0},{"n":"1","v":1}])");
  EXPECT_EQ(decode_senml_json(Path{5, 0, 8}, payload),
            (Records{{Path{5, 0, 8, 0}, Value(0)}, {Path{5, 0, 8, 1}, Value(1)}}));
}

TEST(SenmlJson, DecodesAWholeObjectWithAbsoluteNames) {
  const auto payload =
      bytes_of(R"([{"n":"/5/0/3","v":2},{"n":"/5/0/5","v":0},{"n":"/5/1/3","v":0}])");
  EXPECT_EQ(decode_senml_json(Path{5}, payload),
            (Records{{Path{5, 0, 3}, Value(2)}, {Path{5, 0, 5}, Value(0)},
                     {Path{5, 1, 3}, Value(0)}}));
}

TEST(SenmlJson, ALaterBaseNameReplacesTheEarlierOne) {
  const auto payload = bytes_of(
      R"([{"bn":"/5/0/","n":"3","v":1},{"bn":"/5/1/","n":"3","v":2},{"n":"5","v":0}])");
  EXPECT_EQ(decode_senml_json(Path{5}, payload),
            (Records{{Path{5, 0, 3}, Value(1)}, {Path{5, 1, 3}, Value(2)},
                     {Path{5, 1, 5}, Value(0)}}));
}

TEST(SenmlJson, TypesValuesByLabel) {
  const auto payload = bytes_of(
      R"([{"bn":"/9/0/","n":"0","v":-3},{"n":"1","v":1.5},{"n":"2","v":18446744073709551615},)"
      R"({"n":"3","vb":true},{"n":"4","vs":"2.0.0"},{"n":"5","vd":"AAEC_w"},)"
      R"({"n":"6","vlo":"3:0"},{"n":"7","v":9007199254740993}])");
  const auto records = decode_senml_json(Path{9, 0}, payload);
  ASSERT_EQ(records.size(), 8u);
  EXPECT_EQ(records[0].value, Value(std::int64_t{-3}));
  EXPECT_EQ(records[1].value, Value(1.5));
  EXPECT_EQ(records[2].value, Value(std::uint64_t{18446744073709551615u}));
  EXPECT_EQ(records[3].value, Value(true));
  EXPECT_EQ(records[4].value, Value("2.0.0"));
  EXPECT_EQ(records[5].value, Value(Bytes{0x00, 0x01, 0x02, 0xFF}));
  EXPECT_EQ(records[6].value, Value(ObjLink{3, 0}));
  // Integers stay exact: 2^53 + 1 does not survive a trip through double.
  EXPECT_EQ(records[7].value, Value(std::int64_t{9007199254740993}));
}

TEST(SenmlJson, OpaqueAcceptsPaddingAndRejectsTheStandardAlphabet) {
  EXPECT_EQ(decode_senml_json(Path{5, 0, 0}, bytes_of(R"([{"bn":"/5/0/0","vd":"AAEC_w=="}])")),
            (Records{{Path{5, 0, 0}, Value(Bytes{0x00, 0x01, 0x02, 0xFF})}}));
  EXPECT_EQ(decode_senml_json(Path{5, 0, 0}, bytes_of(R"([{"bn":"/5/0/0","vd":""}])")),
            (Records{{Path{5, 0, 0}, Value(Bytes{})}}));
}

TEST(SenmlJson, AppliesBaseTimeToLaterRecords) {
  // RFC 8428 §5.1.3 style: one resource sampled three times, times relative to bt.
  const auto payload = bytes_of(
      R"([{"bn":"/3303/0/5700","bt":1700000000,"v":22.4,"t":-5},)"
      R"({"v":22.9,"t":-30},{"v":24.1}])");
  const TimedRecords expected = {
      {{Path{3303, 0, 5700}, Value(22.4)}, 1699999995.0},
      {{Path{3303, 0, 5700}, Value(22.9)}, 1699999970.0},
      {{Path{3303, 0, 5700}, Value(24.1)}, 1700000000.0},
  };
  EXPECT_EQ(decode_senml_json_timed(Path{3303, 0}, payload), expected);
}

TEST(SenmlJson, TimeWithoutBaseTimeAndNoTimeAtAll) {
  const auto payload = bytes_of(R"([{"n":"/5/0/3","v":1,"t":12.5},{"n":"/5/0/5","v":0}])");
  const auto timed = decode_senml_json_timed(Path{5, 0}, payload);
  ASSERT_EQ(timed.size(), 2u);
  EXPECT_EQ(timed[0].time, std::optional<double>(12.5));
  EXPECT_EQ(timed[1].time, std::nullopt);
}

TEST(SenmlJson, ARecordWithoutValueDecodesToAnEmptyValue) {
  // Read-Composite requests list paths only, at any depth.
  const auto payload = bytes_of(R"([{"n":"/3/0/0"},{"n":"/5"}])");
  EXPECT_EQ(decode_senml_json(Path{}, payload),
            (Records{{Path{3, 0, 0}, Value()}, {Path{5}, Value()}}));
}

TEST(SenmlJson, IgnoresUnknownLabels) {
  const auto payload = bytes_of(R"([{"n":"/5/0/3","v":1,"u":"%","bver":10}])");
  EXPECT_EQ(decode_senml_json(Path{5, 0, 3}, payload), (Records{{Path{5, 0, 3}, Value(1)}}));
}

TEST(SenmlJson, EncodesAnInstanceWithRelativeNames) {
  const Records records = {{Path{3, 0, 0}, Value("ACME")},
                           {Path{3, 0, 6, 0}, Value(1)},
                           {Path{3, 0, 9}, Value(99.5)}};
  EXPECT_EQ(to_string(encode_senml_json(Path{3, 0}, records)),
            R"([{"bn":"/3/0/","n":"0","vs":"ACME"},{"n":"6/0","v":1},{"n":"9","v":99.5}])");
}

TEST(SenmlJson, EncodesASingleResourceAsTheBaseName) {
  EXPECT_EQ(to_string(encode_senml_json(Path{5, 0, 3}, {{Path{5, 0, 3}, Value(2)}})),
            R"([{"bn":"/5/0/3","v":2}])");
}

TEST(SenmlJson, EncodesEveryValueKind) {
  const Records records = {{Path{9, 0, 1}, Value(true)},
                           {Path{9, 0, 2}, Value(Bytes{0xFB, 0xFF})},
                           {Path{9, 0, 3}, Value(ObjLink{21, 4})},
                           {Path{9, 0, 4}, Value(std::uint64_t{18446744073709551615u})},
                           {Path{9, 0, 5}, Value()}};
  EXPECT_EQ(to_string(encode_senml_json(Path{9, 0}, records)),
            R"([{"bn":"/9/0/","n":"1","vb":true},{"n":"2","vd":"-_8"},{"n":"3","vlo":"21:4"},)"
            R"({"n":"4","v":18446744073709551615},{"n":"5"}])");
}

TEST(SenmlJson, EncodesAtTheRootWithAbsoluteNames) {
  EXPECT_EQ(to_string(encode_senml_json(Path{}, {{Path{5, 0, 3}, Value(1)}})),
            R"([{"n":"/5/0/3","v":1}])");
}

TEST(SenmlJson, RoundTripsEveryBaseDepth) {
  const Records object = {{Path{5, 0, 3}, Value(2)},
                          {Path{5, 0, 8, 0}, Value(0)},
                          {Path{5, 0, 8, 1}, Value(1)},
                          {Path{5, 1, 1}, Value("coap://[::1]:5683/fw.bin")},
                          {Path{5, 1, 0}, Value(Bytes{1, 2, 3})},
                          {Path{5, 1, 9}, Value(-0.25)},
                          {Path{5, 1, 10}, Value(ObjLink{65535, 65535})}};
  EXPECT_EQ(decode_senml_json(Path{5}, encode_senml_json(Path{5}, object)), object);
  EXPECT_EQ(decode_senml_json(Path{}, encode_senml_json(Path{}, object)), object);
  const Records instance(object.begin(), object.begin() + 3);
  EXPECT_EQ(decode_senml_json(Path{5, 0}, encode_senml_json(Path{5, 0}, instance)), instance);
  const Records multiple(object.begin() + 1, object.begin() + 3);
  EXPECT_EQ(decode_senml_json(Path{5, 0, 8}, encode_senml_json(Path{5, 0, 8}, multiple)),
            multiple);
  const Records one_instance = {{Path{5, 0, 8, 1}, Value(1)}};
  EXPECT_EQ(decode_senml_json(Path{5, 0, 8, 1}, encode_senml_json(Path{5, 0, 8, 1}, one_instance)),
            one_instance);
}

TEST(SenmlJson, EncodeRefusesWhatItCannotWrite) {
  EXPECT_EQ(codec_error_of([] { encode_senml_json(Path{5, 0}, {{Path{4, 0, 1}, Value(1)}}); })
                .problem(),
            "record /4/0/1 is not at or below /5/0");
  EXPECT_EQ(
      codec_error_of([] { encode_senml_json(Path{5, 0}, {{Path{5, 0, 1}, Value::raw_tlv({1})}}); })
          .problem(),
      "/5/0/1 holds a raw TLV value, whose type (and so its label) is unknown");
  EXPECT_EQ(codec_error_of([] {
              encode_senml_json(Path{5, 0, 1}, {{Path{5, 0, 1}, Value(std::nan(""))}});
            }).problem(),
            "/5/0/1 holds nan, which JSON cannot carry");
  EXPECT_EQ(codec_error_of([] {
              encode_senml_json(Path{5, 0, 1}, {{Path{5, 0, 1}, Value(std::string("\xff"))}});
            }).problem(),
            "a name or string value is not valid UTF-8, which JSON text must be");
}

using testing_support::MalformedPayloadTest;
using Malformed = testing_support::MalformedText<ContentFormat::SenmlJson>;

INSTANTIATE_TEST_SUITE_P(
    SenmlJson, MalformedPayloadTest,
    testing::Values(
        Malformed{"Empty", Path{5, 0}, "", 0,
                  "not valid JSON: syntax error while parsing value - unexpected end of input; "
                  "expected '[', '{', or a literal"},
        Malformed{"TrailingComma", Path{5, 0}, R"([{"n":"/5/0/3","v":1},])", 22,
                  "not valid JSON: syntax error while parsing value - unexpected ']'; expected "
                  "'[', '{', or a literal"},
        Malformed{"Truncated", Path{5, 0}, R"([{"n":"/5/0/3")", 14,
                  "not valid JSON: syntax error while parsing object - unexpected end of input; "
                  "expected '}'"},
        Malformed{"TrailingData", Path{5, 0}, R"([] [])", 3,
                  "not valid JSON: syntax error while parsing value - unexpected '['; expected "
                  "end of input"},
        Malformed{"NotAnArray", Path{5, 0}, R"({"n":"/5/0/3"})", 0,
                  "SenML JSON is an array of records, got an object"},
        Malformed{"RecordNotAnObject", Path{5, 0}, R"([{"n":"/5/0/3","v":1}, 7])", 23,
                  "a SenML record must be an object, got a number"},
        Malformed{"NameNotAString", Path{5, 0}, R"([{"n":3,"v":1}])", 6,
                  "\"n\" must be a string, got a number"},
        Malformed{"ValueNotANumber", Path{5, 0}, R"([{"n":"/5/0/3","v":"1"}])", 19,
                  "\"v\" must be a number, got a string"},
        Malformed{"NameNotAPath", Path{5, 0}, R"([{"bn":"/5/0/","n":"x","v":1}])", 19,
                  "name is not an LwM2M path: path \"/5/0/x\": segment 'x' is not a decimal id"},
        Malformed{"RelativeName", Path{5, 0}, R"([{"n":"5/0/3","v":1}])", 6,
                  "name \"5/0/3\" is not an absolute LwM2M path (no leading '/')"},
        Malformed{"NoName", Path{5, 0}, R"([{"v":1}])", 1,
                  "record has no name, and no base name applies to it"},
        Malformed{"OutsideTheRequest", Path{5, 0}, R"([{"n":"/4/0/1","v":1}])", 6,
                  "record /4/0/1 is outside the requested path /5/0"},
        Malformed{"ValueOnAnInstance", Path{5, 0}, R"([{"n":"/5/0","v":1}])", 17,
                  "a value for /5/0, which is an object instance: values belong to resources "
                  "and resource instances"},
        Malformed{"LabelTwice", Path{5, 0}, R"([{"n":"/5/0/3","n":"/5/0/5"}])", 15,
                  "label \"n\" appears twice"},
        Malformed{"TwoValues", Path{5, 0}, R"([{"n":"/5/0/3","v":1,"vs":"1"}])", 21,
                  "record has a second value label \"vs\""},
        Malformed{"OpaqueInStandardBase64", Path{5, 0}, R"([{"n":"/5/0/0","vd":"AA+/"}])", 20,
                  "base64url \"AA+/\": character 2 \"+\" is outside the URL-safe alphabet "
                  "(RFC 4648 §5)"},
        Malformed{"OpaqueOfImpossibleLength", Path{5, 0}, R"([{"n":"/5/0/0","vd":"AAAAA"}])", 20,
                  "base64url \"AAAAA\": 5 characters cannot encode whole bytes"},
        Malformed{"BadObjectLink", Path{22, 0}, R"([{"n":"/22/0/1","vlo":"3-0"}])", 22,
                  "object link \"3-0\" is not \"object:instance\" (e.g. \"3:0\")"},
        Malformed{"BaseValue", Path{5, 0}, R"([{"bv":1,"n":"/5/0/3","v":1}])", 2,
                  "label \"bv\" is a base value or sum, which LwM2M does not use"},
        Malformed{"MustUnderstand", Path{5, 0}, R"([{"n":"/5/0/3","v":1,"x_":2}])", 21,
                  "label \"x_\" must be understood (ends in '_') and is not"},
        Malformed{"TooDeep", Path{5, 0}, R"([{"v":[[1]]}])", 7,
                  "JSON nested deeper than 3 levels, more than this format uses"},
        Malformed{"InvalidUtf8", Path{5, 0}, "[{\"n\":\"/5/0/3\",\"vs\":\"\xC3\x28\"}]", 22,
                  "not valid JSON: syntax error while parsing value - invalid string: ill-formed "
                  "UTF-8 byte; last read: '\"\\xc3('"}),
    testing_support::malformed_name);

}  // namespace
}  // namespace fc::lwm2m
