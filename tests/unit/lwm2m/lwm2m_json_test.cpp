// Legacy LwM2M JSON (11543): the TS 1.0 example, base time, value labels, exact encodings,
// round trips, and malformed payloads failing at the exact byte.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/senml_record.h"
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m {
namespace {

using testing_support::bytes_of;
using testing_support::codec_error_of;

TEST(LwM2mJson, DecodesTheDeviceObjectReadOfTheSpec) {
  // TS Core 1.0 §6.4.4's Read of /3/0, shortened.
  const auto payload = bytes_of(
      R"({"bn":"/3/0/","e":[{"n":"0","sv":"Open Mobile Alliance"},{"n":"6/0","v":1},)"
      R"({"n":"6/1","v":5},{"n":"9","v":100},{"n":"13","v":1367491215}]})");
  EXPECT_EQ(decode_lwm2m_json(Path{3, 0}, payload),
            (Records{{Path{3, 0, 0}, Value("Open Mobile Alliance")},
                     {Path{3, 0, 6, 0}, Value(1)},
                     {Path{3, 0, 6, 1}, Value(5)},
                     {Path{3, 0, 9}, Value(100)},
                     {Path{3, 0, 13}, Value(1367491215)}}));
}

TEST(LwM2mJson, DecodesEveryValueLabel) {
  const auto payload = bytes_of(
      R"({"bn":"/9/0/","e":[{"n":"0","v":-3},{"n":"1","v":1.5},{"n":"2","bv":false},)"
      R"({"n":"3","sv":"AQI="},{"n":"4","ov":"21:4"}]})");
  EXPECT_EQ(decode_lwm2m_json(Path{9, 0}, payload),
            (Records{{Path{9, 0, 0}, Value(std::int64_t{-3})},
                     {Path{9, 0, 1}, Value(1.5)},
                     {Path{9, 0, 2}, Value(false)},
                     {Path{9, 0, 3}, Value("AQI=")},
                     {Path{9, 0, 4}, Value(ObjLink{21, 4})}}));
}

TEST(LwM2mJson, AppliesTheRootBaseTimeToEveryEntry) {
  const auto payload = bytes_of(
      R"({"bn":"/3303/0/5700","bt":1700000000,"e":[{"v":22.4,"t":-5},{"v":22.9,"t":-30}]})");
  const TimedRecords expected = {{{Path{3303, 0, 5700}, Value(22.4)}, 1699999995.0},
                                 {{Path{3303, 0, 5700}, Value(22.9)}, 1699999970.0}};
  EXPECT_EQ(decode_lwm2m_json_timed(Path{3303, 0, 5700}, payload), expected);
}

TEST(LwM2mJson, DecodesAbsoluteNamesWithoutBaseName) {
  const auto payload = bytes_of(R"({"e":[{"n":"/5/0/3","v":2}]})");
  EXPECT_EQ(decode_lwm2m_json(Path{5}, payload), (Records{{Path{5, 0, 3}, Value(2)}}));
  EXPECT_EQ(decode_lwm2m_json(Path{5, 0}, bytes_of(R"({"bn":"/5/0/","e":[]})")), Records{});
}

TEST(LwM2mJson, EncodesWithTheRequestPathAsBaseName) {
  const Records records = {{Path{3, 0, 0}, Value("ACME")},
                           {Path{3, 0, 6, 0}, Value(1)},
                           {Path{3, 0, 2}, Value(Bytes{1, 2})},
                           {Path{3, 0, 3}, Value(true)},
                           {Path{3, 0, 4}, Value(ObjLink{3, 0})}};
  EXPECT_EQ(to_string(encode_lwm2m_json(Path{3, 0}, records)),
            R"({"bn":"/3/0/","e":[{"n":"0","sv":"ACME"},{"n":"6/0","v":1},{"n":"2","sv":"AQI="},)"
            R"({"bv":true,"n":"3"},{"n":"4","ov":"3:0"}]})");
  EXPECT_EQ(to_string(encode_lwm2m_json(Path{}, {records[1]})),
            R"({"e":[{"n":"/3/0/6/0","v":1}]})");
}

TEST(LwM2mJson, RoundTripsEveryBaseDepth) {
  const Records object = {{Path{5, 0, 3}, Value(2)},
                          {Path{5, 0, 8, 0}, Value(0)},
                          {Path{5, 0, 8, 1}, Value(1)},
                          {Path{5, 1, 1}, Value("coap://[::1]:5683/fw.bin")},
                          {Path{5, 1, 9}, Value(-0.25)},
                          {Path{5, 1, 10}, Value(ObjLink{65535, 65535})}};
  EXPECT_EQ(decode_lwm2m_json(Path{5}, encode_lwm2m_json(Path{5}, object)), object);
  EXPECT_EQ(decode_lwm2m_json(Path{}, encode_lwm2m_json(Path{}, object)), object);
  const Records instance(object.begin(), object.begin() + 3);
  EXPECT_EQ(decode_lwm2m_json(Path{5, 0}, encode_lwm2m_json(Path{5, 0}, instance)), instance);
  const Records resource = {{Path{5, 0, 3}, Value(2)}};
  EXPECT_EQ(decode_lwm2m_json(Path{5, 0, 3}, encode_lwm2m_json(Path{5, 0, 3}, resource)),
            resource);
}

TEST(LwM2mJson, EncodeRefusesAnEntryWithoutValue) {
  EXPECT_EQ(codec_error_of([] { encode_lwm2m_json(Path{5, 0}, {{Path{5, 0, 3}, Value()}}); })
                .problem(),
            "/5/0/3 has no value");
}

using testing_support::MalformedPayloadTest;
using Malformed = testing_support::MalformedText<ContentFormat::LwM2mJson>;

INSTANTIATE_TEST_SUITE_P(
    LwM2mJson, MalformedPayloadTest,
    testing::Values(
        Malformed{"Syntax", Path{5, 0}, R"({"e":[})", 6,
                  "not valid JSON: syntax error while parsing value - unexpected '}'; expected "
                  "'[', '{', or a literal"},
        Malformed{"NotAnObject", Path{5, 0}, "[]", 0,
                  "LwM2M JSON is an object with an \"e\" array, got an array"},
        Malformed{"NoEntries", Path{5, 0}, R"({"bn":"/5/0/"})", 0,
                  "the object has no \"e\" array of entries"},
        Malformed{"EntriesNotAnArray", Path{5, 0}, R"({"e":{}})", 5,
                  "\"e\" must be an array, got an object"},
        Malformed{"EntryNotAnObject", Path{5, 0}, R"({"e":[1]})", 6,
                  "an \"e\" entry must be an object, got a number"},
        Malformed{"EntryWithoutValue", Path{5, 0}, R"({"bn":"/5/0/","e":[{"n":"3"}]})", 19,
                  "record /5/0/3 has no value"},
        Malformed{"TwoValues", Path{5, 0}, R"({"e":[{"n":"/5/0/3","v":1,"bv":true}]})", 26,
                  "entry has a second value \"bv\""},
        Malformed{"RootKeyTwice", Path{5, 0}, R"({"bn":"/5/0/","bn":"/4/0/","e":[]})", 14,
                  "\"bn\" appears twice"},
        Malformed{"BadObjectLink", Path{5, 0}, R"({"e":[{"n":"/5/0/3","ov":"x"}]})", 25,
                  "object link \"x\" is not \"object:instance\" (e.g. \"3:0\")"},
        Malformed{"NumberAsString", Path{5, 0}, R"({"e":[{"n":"/5/0/3","v":"1"}]})", 24,
                  "\"v\" must be a number, got a string"},
        Malformed{"OutsideTheRequest", Path{5, 0}, R"({"bn":"/4/0/","e":[{"n":"1","v":1}]})",
                  24, "record /4/0/1 is outside the requested path /5/0"},
        Malformed{"TooDeep", Path{5, 0}, R"({"e":[{"n":[[1]]}]})", 12,
                  "JSON nested deeper than 4 levels, more than this format uses"}),
    testing_support::malformed_name);

}  // namespace
}  // namespace fc::lwm2m
