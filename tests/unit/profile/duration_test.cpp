// Durations as profiles write them, and back.
#include <gtest/gtest.h>

#include "suite/profile/duration.h"

namespace fc::profile {
namespace {

TEST(ProfileDuration, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("500ms"), Duration(500));
  EXPECT_EQ(parse_duration("2s"), Duration(2000));
  EXPECT_EQ(parse_duration("1.5s"), Duration(1500));
  EXPECT_EQ(parse_duration("2m"), Duration(120000));
  EXPECT_EQ(parse_duration("1h"), Duration(3600000));
  EXPECT_EQ(parse_duration("0.25m"), Duration(15000));
}

TEST(ProfileDuration, PlainNumberIsSeconds) {
  EXPECT_EQ(parse_duration("3"), Duration(3000));
  EXPECT_EQ(parse_duration("0.1"), Duration(100));
  EXPECT_EQ(parse_duration("0"), Duration(0));
}

TEST(ProfileDuration, DecimalsAreExact) {
  // 0.001 s is not representable as a double; the parser never goes through one.
  EXPECT_EQ(parse_duration("0.001s"), Duration(1));
  EXPECT_EQ(parse_duration("2.50ms"), std::nullopt);
  EXPECT_EQ(parse_duration("2.000ms"), Duration(2));
}

TEST(ProfileDuration, RejectsEverythingElse) {
  for (const char* text : {"", "fast", "s", "-1s", "+1s", "2 s", "2sec", "1.5.2s", "2.", ".",
                           "1e3", "0.0005s", "1000000000000000s", "5d"}) {
    EXPECT_EQ(parse_duration(text), std::nullopt) << text;
  }
}

TEST(ProfileDuration, FormatsInTheShortestForm) {
  EXPECT_EQ(format_duration(Duration(0)), "0s");
  EXPECT_EQ(format_duration(Duration(500)), "500ms");
  EXPECT_EQ(format_duration(Duration(2000)), "2s");
  EXPECT_EQ(format_duration(Duration(1500)), "1.5s");
  EXPECT_EQ(format_duration(Duration(1050)), "1.05s");
  EXPECT_EQ(format_duration(Duration(120000)), "2m");
  EXPECT_EQ(format_duration(Duration(7200000)), "2h");
  EXPECT_EQ(format_duration(Duration(90000)), "90s");
}

TEST(ProfileDuration, FormatReadsBack) {
  for (long ms : {1L, 999L, 1001L, 61000L, 3599999L}) {
    EXPECT_EQ(parse_duration(format_duration(Duration(ms))), Duration(ms)) << ms;
  }
}

}  // namespace
}  // namespace fc::profile
