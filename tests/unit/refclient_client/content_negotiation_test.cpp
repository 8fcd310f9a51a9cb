// Which Content-Format answers a Read, by Accept and by what is read.
#include "refclient/client/content_negotiation.h"

#include <gtest/gtest.h>

namespace fc::refclient {
namespace {

using lwm2m::ContentFormat;

constexpr ReadTarget kSingle{true, false};
constexpr ReadTarget kOpaque{true, true};
constexpr ReadTarget kMany{false, false};
const FormatList kTlvOnly{ContentFormat::Tlv};

TEST(ContentNegotiationTest, DefaultsAreTextForSingleOpaqueForOpaqueTlvForTheRest) {
  EXPECT_EQ(choose_read_format(std::nullopt, kSingle, kTlvOnly), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(std::nullopt, kOpaque, kTlvOnly), ContentFormat::Opaque);
  EXPECT_EQ(choose_read_format(std::nullopt, kMany, kTlvOnly), ContentFormat::Tlv);
}

TEST(ContentNegotiationTest, AcceptedFormatsAreHonoured) {
  EXPECT_EQ(choose_read_format(0, kSingle, kTlvOnly), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(0, kOpaque, kTlvOnly), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(42, kOpaque, kTlvOnly), ContentFormat::Opaque);
  EXPECT_EQ(choose_read_format(11542, kSingle, kTlvOnly), ContentFormat::Tlv);
  EXPECT_EQ(choose_read_format(11542, kMany, kTlvOnly), ContentFormat::Tlv);
}

TEST(ContentNegotiationTest, UnusableAcceptIsNotAcceptable) {
  EXPECT_EQ(choose_read_format(0, kMany, kTlvOnly), std::nullopt);
  EXPECT_EQ(choose_read_format(42, kSingle, kTlvOnly), std::nullopt);
  EXPECT_EQ(choose_read_format(110, kSingle, kTlvOnly), std::nullopt);
  EXPECT_EQ(choose_read_format(40, kSingle, kTlvOnly), std::nullopt);
}

TEST(ContentNegotiationTest, WriteFormatsAreTextOpaqueAndTlv) {
  EXPECT_TRUE(is_supported_write_format(0, kTlvOnly));
  EXPECT_TRUE(is_supported_write_format(42, kTlvOnly));
  EXPECT_TRUE(is_supported_write_format(11542, kTlvOnly));
  EXPECT_FALSE(is_supported_write_format(60, kTlvOnly));
  EXPECT_FALSE(is_supported_write_format(110, kTlvOnly));
}

TEST(ContentNegotiationTest, EveryGivenFormatAnswersAnyShape) {
  const FormatList all = supported_formats();
  for (const auto format : all) {
    const auto number = static_cast<std::uint16_t>(format);
    EXPECT_EQ(choose_read_format(number, kSingle, all), format) << number;
    EXPECT_EQ(choose_read_format(number, kMany, all), format) << number;
    EXPECT_TRUE(is_supported_write_format(number, all)) << number;
  }
  EXPECT_EQ(choose_read_format(60, kSingle, all), std::nullopt);
}

TEST(ContentNegotiationTest, TheFirstGivenFormatAnswersSeveralValuesWithoutAccept) {
  const FormatList senml{ContentFormat::SenmlCbor, ContentFormat::Tlv};
  EXPECT_EQ(choose_read_format(std::nullopt, kMany, senml), ContentFormat::SenmlCbor);
  EXPECT_EQ(choose_read_format(std::nullopt, kMany, FormatList{}), std::nullopt);
  EXPECT_EQ(choose_read_format(std::nullopt, kSingle, FormatList{}), ContentFormat::Text);
}

TEST(ContentNegotiationTest, DefaultFormatsFollowTheEnablerVersion) {
  EXPECT_EQ(default_formats("1.0"), (FormatList{ContentFormat::Tlv, ContentFormat::LwM2mJson}));
  EXPECT_EQ(default_formats("1.1"), (FormatList{ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                                                ContentFormat::LwM2mJson}));
  EXPECT_EQ(default_formats("1.2"), (FormatList{ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                                                ContentFormat::LwM2mJson, ContentFormat::LwM2mCbor}));
}

TEST(ContentNegotiationTest, AdvertisedFormatsAreSortedAndQuotedWhenSeveral) {
  EXPECT_EQ(advertised_formats({ContentFormat::LwM2mCbor, ContentFormat::Tlv, ContentFormat::SenmlJson}),
            "\"110 11542 11544\"");
  EXPECT_EQ(advertised_formats({ContentFormat::SenmlCbor}), "112");
  EXPECT_EQ(advertised_formats({}), "");
}

}  // namespace
}  // namespace fc::refclient
