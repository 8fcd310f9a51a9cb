// The one check behind every codec's table of malformed payloads: decoding throws a
// CodecError of that format, at that byte, saying that.
#include "tests/unit/lwm2m/codec_test_support.h"

namespace fc::lwm2m::testing_support {
namespace {

TEST_P(MalformedPayloadTest, ThrowsAtTheFaultyByte) {
  const auto& c = GetParam();
  const auto error = codec_error_of([&] { decode(c.format, c.base, c.payload); });
  EXPECT_EQ(error.format(), c.format);
  EXPECT_EQ(error.offset(), c.offset) << error.what();
  EXPECT_EQ(error.problem(), c.problem);
}

}  // namespace
}  // namespace fc::lwm2m::testing_support
