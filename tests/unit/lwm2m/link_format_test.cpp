#include "suite/lwm2m/link_format.h"

#include <gtest/gtest.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

LinkAttribute attr(std::string name, std::optional<std::string> value = std::nullopt) {
  return LinkAttribute{std::move(name), std::move(value)};
}

std::pair<std::size_t, std::string> parse_error(std::string_view text) {
  try {
    parse_link_format(text);
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::LinkFormat);
    return {error.offset(), error.problem()};
  }
  ADD_FAILURE() << "parsed: " << text;
  return {999, ""};
}

TEST(LinkFormatParse, RegistrationPayload) {
  const auto links = parse_link_format(R"(</>;rt="oma.lwm2m";ct="60 110",</1/0>,</5>;ver=1.1)");
  const std::vector<Link> expected = {
      {"/", {attr("rt", "oma.lwm2m"), attr("ct", "60 110")}},
      {"/1/0", {}},
      {"/5", {attr("ver", "1.1")}},
  };
  EXPECT_EQ(links, expected);
  EXPECT_EQ(links[2].find("ver")->value, "1.1");
  EXPECT_EQ(links[2].find("rt"), nullptr);
}

TEST(LinkFormatParse, QuotedValuesMayHoldCommasSemicolonsAndEscapes) {
  const auto links = parse_link_format(R"(</5/0>;title="a,b;c";note="say \"hi\"",</6>)");
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].attributes,
            (std::vector<LinkAttribute>{attr("title", "a,b;c"), attr("note", "say \"hi\"")}));
  EXPECT_EQ(links[1].target, "/6");
}

TEST(LinkFormatParse, BareAttributesAndEmptyQuotedValue) {
  const auto links = parse_link_format(R"(</5/0/3>;obs;pmin=10;dim="")");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].attributes,
            (std::vector<LinkAttribute>{attr("obs"), attr("pmin", "10"), attr("dim", "")}));
}

TEST(LinkFormatParse, WhitespaceAfterCommaIsAccepted) {
  EXPECT_EQ(parse_link_format("</1>, </5>,\n</3>").size(), 3u);
}

TEST(LinkFormatParse, EmptyTextIsNoLinks) { EXPECT_TRUE(parse_link_format("").empty()); }

TEST(LinkFormatParse, FailuresNameTheOffset) {
  EXPECT_EQ(parse_error("</1/0"), (std::pair<std::size_t, std::string>{
                                      5, "missing '>' to close the target started at byte 0"}));
  EXPECT_EQ(parse_error("</1/0,</5>").first, 5u);
  EXPECT_EQ(parse_error("</1 /0>").first, 3u);
  EXPECT_EQ(parse_error("/1/0>"),
            (std::pair<std::size_t, std::string>{0, "expected '<' to start a link"}));
  EXPECT_EQ(parse_error("</1>,"),
            (std::pair<std::size_t, std::string>{5, "expected '<' to start a link"}));
  EXPECT_EQ(parse_error(R"(</1>;rt="oma)"),
            (std::pair<std::size_t, std::string>{8, "unterminated quoted value"}));
  EXPECT_EQ(parse_error("</1>;=5"),
            (std::pair<std::size_t, std::string>{5, "empty attribute name"}));
  EXPECT_EQ(parse_error("</1>;ver="),
            (std::pair<std::size_t, std::string>{9, "empty value for attribute 'ver'"}));
  EXPECT_EQ(parse_error("</1>x"),
            (std::pair<std::size_t, std::string>{4, "unexpected 'x' after a link"}));
  EXPECT_EQ(parse_error(R"(</1>;rt="a"b)"),
            (std::pair<std::size_t, std::string>{11, "unexpected 'b' after a link"}));
  EXPECT_EQ(parse_error("</1> ,</2>").first, 4u);
  EXPECT_EQ(parse_error(" </1>").first, 0u);
}

TEST(LinkFormatWrite, QuotesWhereNeededAndRoundTrips) {
  const std::vector<Link> links = {
      {"/", {attr("rt", "oma.lwm2m"), attr("ct", "60 110")}},
      {"/5/0", {attr("ver", "1.1"), attr("obs"), attr("title", "a\"b\\c")}},
      {"/3", {attr("ct", "11542")}},
  };
  const auto text = write_link_format(links);
  EXPECT_EQ(text,
            R"(</>;rt="oma.lwm2m";ct="60 110",</5/0>;ver=1.1;obs;title="a\"b\\c",</3>;ct=11542)");
  EXPECT_EQ(parse_link_format(text), links);
  EXPECT_EQ(write_link_format({}), "");
}

}  // namespace
}  // namespace fc::lwm2m
