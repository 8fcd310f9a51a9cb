// The reference server's choice of Accept and Write Content-Format: forced, negotiated, defaults.
#include "suite/server/format_choice.h"

#include <gtest/gtest.h>

namespace fc::server {
namespace {

using lwm2m::ContentFormat;
using lwm2m::Path;

constexpr std::uint16_t kText = 0, kOpaque = 42, kCbor = 60, kSenmlJson = 110, kSenmlCbor = 112, kTlv = 11542,
                        kLwm2mJson = 11543, kLwm2mCbor = 11544;

const Path kInstance{5, 0};
const Path kObject{5};
const Path kResource{5, 0, 3};
const Path kResourceInstance{5, 0, 8, 0};

DeviceFormats device(std::string version, std::vector<std::uint16_t> advertised) {
  return DeviceFormats{std::move(version), std::move(advertised)};
}

TEST(NegotiatedFormatTest, PrefersLwm2mCborThenSenmlCborThenSenmlJsonThenTlvThenLwm2mJson) {
  const RequestFormats automatic;
  EXPECT_EQ(negotiated_format(automatic, device("1.2", {kTlv, kSenmlJson, kSenmlCbor, kLwm2mCbor, kLwm2mJson})),
            ContentFormat::LwM2mCbor);
  EXPECT_EQ(negotiated_format(automatic, device("1.1", {kLwm2mJson, kTlv, kSenmlJson, kSenmlCbor})),
            ContentFormat::SenmlCbor);
  EXPECT_EQ(negotiated_format(automatic, device("1.1", {kLwm2mJson, kSenmlJson, kTlv})), ContentFormat::SenmlJson);
  EXPECT_EQ(negotiated_format(automatic, device("1.1", {kLwm2mJson, kTlv})), ContentFormat::Tlv);
  EXPECT_EQ(negotiated_format(automatic, device("1.1", {kLwm2mJson})), ContentFormat::LwM2mJson);
}

TEST(NegotiatedFormatTest, SingleValueFormatsAreNeverNegotiated) {
  EXPECT_EQ(negotiated_format({}, device("1.1", {kText, kOpaque, kCbor})), std::nullopt);
  EXPECT_EQ(negotiated_format({}, device("1.0", {kText, kCbor})), ContentFormat::Tlv);
}

TEST(NegotiatedFormatTest, AdvertisedFormatsAreNarrowedByTheDeclaredOnes) {
  const RequestFormats declared{std::nullopt, {kTlv, kSenmlJson, kText}};
  EXPECT_EQ(negotiated_format(declared, device("1.1", {kSenmlCbor, kSenmlJson, kTlv})), ContentFormat::SenmlJson);
}

TEST(NegotiatedFormatTest, WithoutCommonGroundTheAdvertisedWinThenTheDeclared) {
  const RequestFormats declared{std::nullopt, {kTlv}};
  EXPECT_EQ(negotiated_format(declared, device("1.1", {kSenmlJson})), ContentFormat::SenmlJson);
  const RequestFormats cbor{std::nullopt, {kSenmlCbor, kTlv}};
  EXPECT_EQ(negotiated_format(cbor, device("1.1", {})), ContentFormat::SenmlCbor);
}

TEST(NegotiatedFormatTest, NothingKnownIsTlvForA10DeviceAndNoneOtherwise) {
  EXPECT_EQ(negotiated_format({}, device("1.0", {})), ContentFormat::Tlv);
  EXPECT_EQ(negotiated_format({}, device("1.1", {})), std::nullopt);
  EXPECT_EQ(negotiated_format({}, device("1.2", {})), std::nullopt);
}

TEST(ChooseReadFormatTest, AutomaticAsksTheNegotiatedFormatForSeveralValuesOnly) {
  const RequestFormats automatic;
  const auto senml = device("1.1", {kSenmlJson, kTlv});
  EXPECT_EQ(choose_read_format(kInstance, automatic, senml), ContentFormat::SenmlJson);
  EXPECT_EQ(choose_read_format(kObject, automatic, senml), ContentFormat::SenmlJson);
  EXPECT_EQ(choose_read_format(kResource, automatic, senml), std::nullopt);
  EXPECT_EQ(choose_read_format(kResourceInstance, automatic, senml), std::nullopt);
}

TEST(ChooseReadFormatTest, A10DeviceWithoutCtIsAskedTlvForAnInstanceAndNothingForAResource) {
  const auto old = device("1.0", {});
  EXPECT_EQ(choose_read_format(kInstance, {}, old), ContentFormat::Tlv);
  EXPECT_EQ(choose_read_format(kResource, {}, old), std::nullopt);
  EXPECT_EQ(choose_read_format(kInstance, {}, device("1.1", {})), std::nullopt);
}

TEST(ChooseReadFormatTest, AForcedFormatIsAlwaysAskedEvenWhenNotAdvertised) {
  const auto tlv_only = device("1.1", {kTlv});
  for (const auto forced : {ContentFormat::Tlv, ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                            ContentFormat::LwM2mCbor, ContentFormat::LwM2mJson}) {
    const RequestFormats formats{forced, {kTlv}};
    EXPECT_EQ(choose_read_format(kInstance, formats, tlv_only), forced) << lwm2m::to_string(forced);
    EXPECT_EQ(choose_read_format(kResource, formats, tlv_only), forced) << lwm2m::to_string(forced);
    EXPECT_EQ(choose_read_format(kResourceInstance, formats, tlv_only), forced) << lwm2m::to_string(forced);
  }
}

TEST(ChooseReadFormatTest, ForcedTextAppliesToOneValueAndLeavesSeveralToNegotiation) {
  const RequestFormats text{ContentFormat::Text, {}};
  const auto cbor = device("1.1", {kSenmlCbor});
  EXPECT_EQ(choose_read_format(kResource, text, cbor), ContentFormat::Text);
  EXPECT_EQ(choose_read_format(kInstance, text, cbor), ContentFormat::SenmlCbor);
  EXPECT_EQ(choose_read_format(kInstance, text, device("1.1", {})), std::nullopt);
}

TEST(ChooseWriteFormatTest, OneValueIsTextSeveralAreNegotiatedOrTlv) {
  const RequestFormats automatic;
  EXPECT_EQ(choose_write_format(false, automatic, device("1.2", {kLwm2mCbor})), ContentFormat::Text);
  EXPECT_EQ(choose_write_format(true, automatic, device("1.2", {kLwm2mCbor, kTlv})), ContentFormat::LwM2mCbor);
  EXPECT_EQ(choose_write_format(true, automatic, device("1.1", {})), ContentFormat::Tlv);
  EXPECT_EQ(choose_write_format(true, automatic, device("1.0", {})), ContentFormat::Tlv);
}

TEST(ChooseWriteFormatTest, ForcedFormatIsUsedButTextOnlyForOneValue) {
  const RequestFormats senml{ContentFormat::SenmlJson, {}};
  EXPECT_EQ(choose_write_format(false, senml, device("1.1", {})), ContentFormat::SenmlJson);
  EXPECT_EQ(choose_write_format(true, senml, device("1.1", {kTlv})), ContentFormat::SenmlJson);
  const RequestFormats text{ContentFormat::Text, {}};
  EXPECT_EQ(choose_write_format(false, text, device("1.1", {kSenmlCbor})), ContentFormat::Text);
  EXPECT_EQ(choose_write_format(true, text, device("1.1", {kSenmlCbor})), ContentFormat::SenmlCbor);
}

}  // namespace
}  // namespace fc::server
