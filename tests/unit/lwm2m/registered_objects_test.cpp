#include <gtest/gtest.h>

#include "suite/lwm2m/codec_error.h"
#include "suite/lwm2m/link_format.h"

namespace fc::lwm2m {
namespace {

std::pair<std::size_t, std::string> parse_error(std::string_view payload) {
  try {
    parse_registered_objects(payload);
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::LinkFormat);
    return {error.offset(), error.problem()};
  }
  ADD_FAILURE() << "parsed: " << payload;
  return {999, ""};
}

TEST(RegisteredObjects, PlainListWithoutRootLink) {
  const auto objects = parse_registered_objects("</1/0>,</3/0>,</5/0>");
  EXPECT_EQ(objects.root, "/");
  EXPECT_TRUE(objects.content_formats.empty());
  EXPECT_EQ(objects.objects, (std::vector<ObjectLink>{{Path{1, 0}, std::nullopt},
                                                      {Path{3, 0}, std::nullopt},
                                                      {Path{5, 0}, std::nullopt}}));
  EXPECT_TRUE(objects.has_object(5));
  EXPECT_FALSE(objects.has_object(4));
  EXPECT_EQ(objects.version_of(5), std::nullopt);
}

TEST(RegisteredObjects, RootLinkWithContentFormatList) {
  const auto objects =
      parse_registered_objects(R"(</>;rt="oma.lwm2m";ct="60 110",</1/0>,</5>;ver=1.1)");
  EXPECT_EQ(objects.root, "/");
  EXPECT_EQ(objects.content_formats, (std::vector<std::uint16_t>{60, 110}));
  EXPECT_EQ(objects.objects,
            (std::vector<ObjectLink>{{Path{1, 0}, std::nullopt}, {Path{5}, "1.1"}}));
  EXPECT_EQ(objects.version_of(5), "1.1");
  EXPECT_EQ(objects.version_of(1), std::nullopt);
}

TEST(RegisteredObjects, SingleContentFormatAndRootWithoutRt) {
  const auto objects = parse_registered_objects("</>;ct=110,</5/0>");
  EXPECT_EQ(objects.root, "/");
  EXPECT_EQ(objects.content_formats, (std::vector<std::uint16_t>{110}));
  EXPECT_EQ(objects.objects, (std::vector<ObjectLink>{{Path{5, 0}, std::nullopt}}));
}

TEST(RegisteredObjects, AlternateRoot) {
  const auto objects =
      parse_registered_objects(R"(</lwm2m>;rt="oma.lwm2m",</lwm2m/1/0>,</lwm2m/5/0>;ver=1.0)");
  EXPECT_EQ(objects.root, "/lwm2m");
  EXPECT_EQ(objects.objects,
            (std::vector<ObjectLink>{{Path{1, 0}, std::nullopt}, {Path{5, 0}, "1.0"}}));
  EXPECT_EQ(objects.version_of(5), "1.0");
}

TEST(RegisteredObjects, VersionOnInstanceLink) {
  const auto objects = parse_registered_objects("</5/0>;ver=1.1,</5/1>");
  EXPECT_EQ(objects.version_of(5), "1.1");
  EXPECT_EQ(objects.objects.size(), 2u);
}

TEST(RegisteredObjects, Failures) {
  EXPECT_EQ(parse_error(""), (std::pair<std::size_t, std::string>{0, "empty object list"}));
  EXPECT_EQ(parse_error("</1/0>,</5/0/1>"),
            (std::pair<std::size_t, std::string>{
                8, "target </5/0/1> is not an object or object instance path"}));
  EXPECT_EQ(parse_error("</1/0>,</x>").first, 8u);
  EXPECT_EQ(parse_error("</1/0>,</65535>").first, 8u);
  EXPECT_EQ(parse_error("</1/0>,<5>").first, 8u);
  EXPECT_EQ(parse_error("</5/>").first, 1u);
  EXPECT_EQ(
      parse_error(R"(</lwm2m>;rt="oma.lwm2m",</1/0>)"),
      (std::pair<std::size_t, std::string>{25, "target </1/0> is not below the root /lwm2m"}));
  EXPECT_EQ(parse_error(R"(</>;rt="oma.lwm2m";ct="60 x",</1/0>)").first, 0u);
  EXPECT_EQ(parse_error(R"(</>;rt="oma.lwm2m",</a>;rt="oma.lwm2m")").first, 19u);
  EXPECT_EQ(parse_error("</1/0"), (std::pair<std::size_t, std::string>{
                                      5, "missing '>' to close the target started at byte 0"}));
}

}  // namespace
}  // namespace fc::lwm2m
