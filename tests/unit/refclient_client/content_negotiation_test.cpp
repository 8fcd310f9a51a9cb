// Which Content-Format answers a Read, by Accept and by what is read.
#include "refclient/client/content_negotiation.h"

#include <gtest/gtest.h>

namespace fc::refclient {
namespace {

using lwm2m::ContentFormat;

constexpr ReadTarget kSingle{true, false};
constexpr ReadTarget kOpaque{true, true};
constexpr ReadTarget kMany{false, false};

TEST(ContentNegotiationTest, DefaultsAreTextForSingleOpaqueForOpaqueTlvForTheRest) {
  EXPECT_EQ(choose_read_format(std::nullopt, kSingle), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(std::nullopt, kOpaque), ContentFormat::Opaque);
  EXPECT_EQ(choose_read_format(std::nullopt, kMany), ContentFormat::Tlv);
}

TEST(ContentNegotiationTest, AcceptedFormatsAreHonoured) {
  EXPECT_EQ(choose_read_format(0, kSingle), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(0, kOpaque), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(42, kOpaque), ContentFormat::Opaque);
  EXPECT_EQ(choose_read_format(11542, kSingle), ContentFormat::Tlv);
  EXPECT_EQ(choose_read_format(11542, kMany), ContentFormat::Tlv);
}

TEST(ContentNegotiationTest, UnusableAcceptIsNotAcceptable) {
  EXPECT_EQ(choose_read_format(0, kMany), std::nullopt);
  EXPECT_EQ(choose_read_format(42, kSingle), std::nullopt);
  EXPECT_EQ(choose_read_format(110, kSingle), std::nullopt);
  EXPECT_EQ(choose_read_format(40, kSingle), std::nullopt);
}

TEST(ContentNegotiationTest, WriteFormatsAreTextOpaqueAndTlv) {
  EXPECT_TRUE(is_supported_write_format(0));
  EXPECT_TRUE(is_supported_write_format(42));
  EXPECT_TRUE(is_supported_write_format(11542));
  EXPECT_FALSE(is_supported_write_format(60));
  EXPECT_FALSE(is_supported_write_format(110));
}

}  // namespace
}  // namespace fc::refclient
