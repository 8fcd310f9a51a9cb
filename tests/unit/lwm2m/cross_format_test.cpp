// A client answering in a format other than the one asked for: each decoder, fed another
// format's payload, throws CodecError naming its own format and the byte where it gave up.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m {
namespace {

using testing_support::codec_error_of;

const Path kBase{5, 0, 3};
const Records kState = {{kBase, Value(2)}};

struct Mismatch {
  const char* name;
  ContentFormat sent;
  ContentFormat expected;
  std::size_t offset;
  std::string problem;
};

class WrongFormat : public testing::TestWithParam<Mismatch> {};

TEST_P(WrongFormat, FailsNamingTheExpectedFormatAndOffset) {
  const auto& c = GetParam();
  const auto payload = encode(c.sent, kBase, kState);
  const auto error = codec_error_of([&] { decode(c.expected, kBase, payload); });
  EXPECT_EQ(error.format(), c.expected);
  EXPECT_EQ(error.offset(), c.offset) << error.what();
  EXPECT_EQ(error.problem(), c.problem);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, WrongFormat,
    testing::Values(
        Mismatch{"SenmlCborAsSenmlJson", ContentFormat::SenmlCbor, ContentFormat::SenmlJson, 0,
                 "not valid JSON: syntax error while parsing value - invalid literal; last "
                 "read: '\\x81'; the payload is binary (first byte 0x81), not JSON text"},
        Mismatch{"TlvAsLwM2mJson", ContentFormat::Tlv, ContentFormat::LwM2mJson, 0,
                 "not valid JSON: syntax error while parsing value - invalid literal; last "
                 "read: '\\xc1'; the payload is binary (first byte 0xc1), not JSON text"},
        Mismatch{"SenmlJsonAsSenmlCbor", ContentFormat::SenmlJson, ContentFormat::SenmlCbor, 0,
                 "truncated CBOR item: needs 8872762441033458232 byte(s), 23 left; the payload "
                 "looks like JSON text"},
        Mismatch{"LwM2mJsonAsLwM2mCbor", ContentFormat::LwM2mJson, ContentFormat::LwM2mCbor, 0,
                 "truncated CBOR item: needs 2477663838290456382 byte(s), 29 left; the payload "
                 "looks like JSON text"},
        Mismatch{"LwM2mCborAsSenmlCbor", ContentFormat::LwM2mCbor, ContentFormat::SenmlCbor, 0,
                 "SenML CBOR is an array of records, got a map"},
        Mismatch{"SenmlCborAsLwM2mCbor", ContentFormat::SenmlCbor, ContentFormat::LwM2mCbor, 0,
                 "LwM2M CBOR is a map keyed by path ids, got an array"},
        Mismatch{"LwM2mJsonAsSenmlJson", ContentFormat::LwM2mJson, ContentFormat::SenmlJson, 0,
                 "SenML JSON is an array of records, got an object"},
        Mismatch{"SenmlJsonAsLwM2mJson", ContentFormat::SenmlJson, ContentFormat::LwM2mJson, 0,
                 "LwM2M JSON is an object with an \"e\" array, got an array"},
        Mismatch{"TlvAsSenmlCbor", ContentFormat::Tlv, ContentFormat::SenmlCbor, 2,
                 "1 trailing byte(s) after the CBOR item"},
        Mismatch{"SenmlCborAsTlv", ContentFormat::SenmlCbor, ContentFormat::Tlv, 0,
                 "a multiple resource TLV for id 162 answers /5/0/3, which needs id 3"}),
    [](const testing::TestParamInfo<Mismatch>& param) { return param.param.name; });

}  // namespace
}  // namespace fc::lwm2m
