// Range (RFC 9110 §14.1.2) and If-Match (§13.1.1) as the HTTP repository reads them.
#include <gtest/gtest.h>

#include "suite/repository/http_repository.h"

namespace fc::repository {
namespace {

using Kind = RangeRequest::Kind;

void expect_part(std::string_view header, std::uint64_t total, std::uint64_t first, std::uint64_t last) {
  auto r = parse_range(header, total);
  EXPECT_EQ(r.kind, Kind::Part) << header;
  EXPECT_EQ(r.first, first) << header;
  EXPECT_EQ(r.last, last) << header;
}

TEST(HttpRange, ClosedOpenAndSuffixRanges) {
  expect_part("bytes=0-99", 5000, 0, 99);
  expect_part("bytes=2048-", 5000, 2048, 4999);
  expect_part("bytes=4000-9999", 5000, 4000, 4999);
  expect_part("bytes=-100", 5000, 4900, 4999);
  expect_part("bytes=-9000", 5000, 0, 4999);
  expect_part(" bytes= 10 - 20 ", 5000, 10, 20);
}

TEST(HttpRange, RangesPastTheEndAreUnsatisfiable) {
  EXPECT_EQ(parse_range("bytes=5000-", 5000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=6000-7000", 5000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=-0", 5000).kind, Kind::Unsatisfiable);
  EXPECT_EQ(parse_range("bytes=0-", 0).kind, Kind::Unsatisfiable);
}

TEST(HttpRange, WhatDoesNotParseOrAsksForSeveralRangesMeansTheWhole) {
  for (std::string_view header : {"", "bytes=", "bytes=a-b", "bytes=20-10", "items=0-1", "bytes=0-1,5-6", "bytes=5"})
    EXPECT_EQ(parse_range(header, 5000).kind, Kind::Whole) << header;
}

TEST(HttpIfMatch, StrongComparisonWithStarAndLists) {
  EXPECT_TRUE(if_match_allows("\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_match_allows("*", "\"abc\""));
  EXPECT_TRUE(if_match_allows("\"x\", \"abc\"", "\"abc\""));
  EXPECT_FALSE(if_match_allows("\"abd\"", "\"abc\""));
  EXPECT_FALSE(if_match_allows("W/\"abc\"", "\"abc\""));
  EXPECT_FALSE(if_match_allows("abc", "\"abc\""));
}

TEST(HttpIfRange, OnlyTheCurrentStrongEtagServesTheRange) {
  EXPECT_TRUE(if_range_allows("\"abc\"", "\"abc\""));
  EXPECT_TRUE(if_range_allows(" \"abc\" ", "\"abc\""));
  EXPECT_FALSE(if_range_allows("\"abd\"", "\"abc\""));
  EXPECT_FALSE(if_range_allows("W/\"abc\"", "W/\"abc\""));  // a weak tag is never true (RFC 9110 §13.1.5)
  EXPECT_FALSE(if_range_allows("Tue, 01 Dec 2026 10:00:00 GMT", "\"abc\""));  // no Last-Modified is sent
  EXPECT_FALSE(if_range_allows("", "\"abc\""));
}

}  // namespace
}  // namespace fc::repository
