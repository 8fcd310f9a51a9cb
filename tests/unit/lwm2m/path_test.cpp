#include "suite/lwm2m/path.h"

#include <gtest/gtest.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

std::size_t parse_error_offset(std::string_view text) {
  try {
    Path::parse(text);
  } catch (const CodecError& error) {
    return error.offset();
  }
  ADD_FAILURE() << "\"" << text << "\" parsed";
  return 999;
}

TEST(Path, ParsesWithAndWithoutLeadingSlash) {
  EXPECT_EQ(Path::parse("/5/0/1"), (Path{5, 0, 1}));
  EXPECT_EQ(Path::parse("5/0/1"), (Path{5, 0, 1}));
  EXPECT_EQ(Path::parse("/5/0/8/2"), (Path{5, 0, 8, 2}));
  EXPECT_EQ(Path::parse("/65534"), (Path{65534}));
  EXPECT_TRUE(Path::parse("/").is_root());
}

TEST(Path, RejectsMalformedTextAtTheOffendingSegment) {
  EXPECT_EQ(parse_error_offset(""), 0u);
  EXPECT_EQ(parse_error_offset("/5//1"), 3u);
  EXPECT_EQ(parse_error_offset("/5/0/"), 5u);
  EXPECT_EQ(parse_error_offset("/5/x"), 3u);
  EXPECT_EQ(parse_error_offset("/5/-1"), 3u);
  EXPECT_EQ(parse_error_offset("/5/+1"), 3u);
  EXPECT_EQ(parse_error_offset("/65535"), 1u);
  EXPECT_EQ(parse_error_offset("/99999999999"), 1u);
  EXPECT_EQ(parse_error_offset("/1/2/3/4/5"), 9u);
  EXPECT_EQ(parse_error_offset("//"), 1u);
}

TEST(Path, ParseErrorNamesThePathAndSegment) {
  try {
    Path::parse("/5/a0");
    FAIL() << "parsed";
  } catch (const CodecError& error) {
    EXPECT_EQ(error.problem(), "path \"/5/a0\": segment 'a0' is not a decimal id");
    EXPECT_EQ(error.format(), ContentFormat::Text);
  }
}

TEST(Path, ConstructorRejectsTooDeepAndReservedIds) {
  EXPECT_THROW(Path({1, 2, 3, 4, 5}), std::invalid_argument);
  EXPECT_THROW(Path({65535}), std::invalid_argument);
}

TEST(Path, DepthPredicatesAndAccessors) {
  const Path path{5, 0, 8, 1};
  EXPECT_EQ(path.depth(), 4u);
  EXPECT_TRUE(path.is_resource_instance());
  EXPECT_EQ(path.object(), 5);
  EXPECT_EQ(path.instance(), 0);
  EXPECT_EQ(path.resource(), 8);
  EXPECT_EQ(path.resource_instance(), 1);
  EXPECT_TRUE(Path{5}.is_object());
  EXPECT_TRUE((Path{5, 0}).is_instance());
  EXPECT_TRUE((Path{5, 0, 3}).is_resource());
  EXPECT_THROW(Path{5}.instance(), std::out_of_range);
}

TEST(Path, ChildContainsStrAndSegments) {
  EXPECT_EQ(Path{5}.child(0).child(3), (Path{5, 0, 3}));
  EXPECT_TRUE(Path{}.contains(Path{5, 0}));
  EXPECT_TRUE((Path{5, 0}).contains(Path{5, 0}));
  EXPECT_TRUE((Path{5, 0}).contains(Path{5, 0, 3}));
  EXPECT_FALSE((Path{5, 0, 3}).contains(Path{5, 0}));
  EXPECT_FALSE((Path{5, 1}).contains(Path{5, 0, 3}));
  EXPECT_EQ((Path{5, 0, 3}).str(), "/5/0/3");
  EXPECT_EQ(Path{}.str(), "/");
  EXPECT_EQ((Path{5, 0, 3}).segments(), (std::vector<std::string>{"5", "0", "3"}));
  EXPECT_TRUE(Path{}.segments().empty());
}

TEST(Path, OrdersByIds) {
  EXPECT_LT((Path{3, 0}), (Path{5}));
  EXPECT_LT((Path{5}), (Path{5, 0}));
  EXPECT_LT((Path{5, 0, 3}), (Path{5, 0, 5}));
}

}  // namespace
}  // namespace fc::lwm2m
