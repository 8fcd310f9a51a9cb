// A stop request (SIGINT/SIGTERM in the runner) passes every interruptible Deadline at once, so
// a case's polling loop ends within a round; the waits that must run their course do not.
#include <gtest/gtest.h>

#include "suite/common/clock.h"

namespace fc {
namespace {

bool stop_requested = false;
bool stop_check() { return stop_requested; }

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stop_requested = false;
    set_wait_interruption(stop_check);
  }
  void TearDown() override { set_wait_interruption(nullptr); }
};

TEST_F(DeadlineTest, RunsItsBudgetWhileNoStopIsRequested) {
  Deadline deadline(std::chrono::hours(1));
  EXPECT_FALSE(deadline.passed());
  EXPECT_GT(deadline.remaining(), Duration(3'500'000));
  EXPECT_TRUE(Deadline(Duration(0)).passed());
}

TEST_F(DeadlineTest, AStopPassesEveryInterruptibleDeadlineAtOnce) {
  Deadline deadline(std::chrono::hours(1));
  stop_requested = true;
  EXPECT_TRUE(deadline.passed());
  EXPECT_EQ(deadline.remaining(), Duration(0));
  int rounds = 0;
  while (!deadline.passed()) ++rounds;  // a case's polling loop
  EXPECT_EQ(rounds, 0);
}

TEST_F(DeadlineTest, AnUninterruptibleDeadlineRunsItsCourseThroughAStop) {
  Deadline reap(std::chrono::hours(1), Deadline::Uninterruptible);
  stop_requested = true;
  EXPECT_FALSE(reap.passed());
  EXPECT_GT(reap.remaining(), Duration(3'500'000));
}

TEST_F(DeadlineTest, WithoutACheckNothingIsInterrupted) {
  set_wait_interruption(nullptr);
  stop_requested = true;
  EXPECT_FALSE(wait_interrupted());
  EXPECT_FALSE(Deadline(std::chrono::hours(1)).passed());
}

}  // namespace
}  // namespace fc
