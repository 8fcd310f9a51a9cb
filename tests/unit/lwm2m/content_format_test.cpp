#include "suite/lwm2m/content_format.h"

#include <gtest/gtest.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

TEST(ContentFormat, PrintsMediaTypeAndNumber) {
  EXPECT_EQ(to_string(ContentFormat::Text), "text/plain (0)");
  EXPECT_EQ(to_string(ContentFormat::Tlv), "application/vnd.oma.lwm2m+tlv (11542)");
  EXPECT_EQ(to_string(ContentFormat::SenmlCbor), "application/senml+cbor (112)");
  EXPECT_EQ(to_string(static_cast<ContentFormat>(1234)), "(1234)");
}

TEST(ContentFormat, ShortNamesRoundTrip) {
  for (const auto format :
       {ContentFormat::Text, ContentFormat::LinkFormat, ContentFormat::Opaque, ContentFormat::Cbor,
        ContentFormat::SenmlJson, ContentFormat::SenmlCbor, ContentFormat::Tlv,
        ContentFormat::LwM2mJson, ContentFormat::LwM2mCbor}) {
    EXPECT_EQ(from_short_name(short_name(format)), format) << to_string(format);
  }
  EXPECT_EQ(short_name(ContentFormat::SenmlJson), "senml-json");
  EXPECT_EQ(short_name(ContentFormat::LinkFormat), "link");
  EXPECT_EQ(short_name(static_cast<ContentFormat>(1234)), "");
  EXPECT_EQ(from_short_name("TLV"), std::nullopt);
  EXPECT_EQ(from_short_name(""), std::nullopt);
}

TEST(CodecError, CarriesFormatOffsetAndProblem) {
  const CodecError error(ContentFormat::Tlv, 7, "length past end");
  EXPECT_EQ(error.format(), ContentFormat::Tlv);
  EXPECT_EQ(error.offset(), 7u);
  EXPECT_EQ(error.problem(), "length past end");
  EXPECT_STREQ(error.what(), "application/vnd.oma.lwm2m+tlv (11542) at byte 7: length past end");
}

}  // namespace
}  // namespace fc::lwm2m
