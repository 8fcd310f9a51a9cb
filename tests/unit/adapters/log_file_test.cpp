// The helpers behind device.log and hooks.log: reading from an offset and quoting a tail.
#include <gtest/gtest.h>

#include "adapters/log_file.h"
#include "tests/unit/adapters/temp_workdir.h"

namespace fc::adapters {
namespace {

TEST(LogFile, AppendsAndReadsFromAnOffset) {
  testing::TempWorkdir dir;
  const auto file = dir.path() / "device.log";
  EXPECT_EQ(log_size(file), 0u);
  EXPECT_EQ(read_log(file), "");
  append_log(file, "first\n");
  const auto offset = log_size(file);
  append_log(file, "second\n");
  EXPECT_EQ(offset, 6u);
  EXPECT_EQ(read_log(file), "first\nsecond\n");
  EXPECT_EQ(read_log(file, offset), "second\n");
}

TEST(LogFile, TailKeepsTheLastLines) {
  EXPECT_EQ(log_tail("a\nb\nc\nd\n", 2), "c\nd");
  EXPECT_EQ(log_tail("a\nb\n", 5), "a\nb");
  EXPECT_EQ(log_tail("only", 3), "only");
  EXPECT_EQ(log_tail("", 3), "");
  EXPECT_EQ(log_tail("line one\nline two\n", 20, 5), "e two");
}

TEST(LogFile, SecondsText) {
  EXPECT_EQ(seconds_text(200ms), "0.2 s");
  EXPECT_EQ(seconds_text(3s), "3 s");
  EXPECT_EQ(seconds_text(std::chrono::minutes(10)), "600 s");
}

}  // namespace
}  // namespace fc::adapters
