// Notification release order, pmin/pmax, coalescing rules and cancellation.
#include "refclient/client/notification_scheduler.h"

#include <gtest/gtest.h>

namespace fc::refclient {
namespace {

using lwm2m::Path;
using namespace std::chrono_literals;

lwm2m::Records state(int value) { return {{Path{5, 0, 3}, lwm2m::Value(value)}}; }

class NotificationSchedulerTest : public ::testing::Test {
 protected:
  NotificationAttributes attributes_of(const Path& path) const {
    const auto found = attributes.find(path);
    return found == attributes.end() ? NotificationAttributes{} : found->second;
  }
  std::optional<Path> release() {
    return scheduler.release(now, [this](const Path& p) { return attributes_of(p); });
  }
  // What libcoap would send for `path` now, then the end of the I/O round.
  std::string send(const Path& path) {
    // Read before after_io(): the end of the round frees what was sent.
    const auto* records = scheduler.payload_for(path);
    const std::string sent = records ? records->front().value.describe() : "live";
    scheduler.after_io(now);
    return sent;
  }

  Clock::time_point now = Clock::time_point{} + 1000s;
  std::map<Path, NotificationAttributes> attributes;
  NotificationScheduler scheduler{3s};
  const Path state_path{5, 0, 3};
  const Path result_path{5, 0, 5};
};

TEST_F(NotificationSchedulerTest, EveryChangeIsSentInOrderWithPminZero) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), {});
  scheduler.changed(state_path, state(2), {});
  ASSERT_EQ(release(), state_path);
  EXPECT_EQ(release(), std::nullopt);  // one in flight at a time
  EXPECT_EQ(send(state_path), "1");
  ASSERT_EQ(release(), state_path);
  EXPECT_EQ(send(state_path), "2");
  EXPECT_EQ(release(), std::nullopt);
  EXPECT_TRUE(scheduler.idle());
}

TEST_F(NotificationSchedulerTest, ChangesOfDifferentPathsKeepTheirGlobalOrder) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.observed(result_path, {2}, now, std::nullopt);
  scheduler.changed(result_path, {{result_path, lwm2m::Value(0)}}, {});
  scheduler.changed(state_path, state(1), {});
  EXPECT_EQ(release(), result_path);
  send(result_path);
  EXPECT_EQ(release(), state_path);
}

TEST_F(NotificationSchedulerTest, PminDelaysAndMergesChanges) {
  attributes[state_path].pmin = 2;
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), attributes[state_path]);
  scheduler.changed(state_path, state(2), attributes[state_path]);
  EXPECT_EQ(scheduler.queued(state_path), 1u);
  now += 1s;
  EXPECT_EQ(release(), std::nullopt);
  now += 1s;
  ASSERT_EQ(release(), state_path);
  EXPECT_EQ(send(state_path), "2");
}

TEST_F(NotificationSchedulerTest, PmaxSendsTheLiveValueWhenNothingChanged) {
  attributes[state_path].pmax = 10;
  scheduler.observed(state_path, {1}, now, state(0));
  now += 9s;
  EXPECT_EQ(release(), std::nullopt);
  now += 1s;
  ASSERT_EQ(release(), state_path);
  EXPECT_EQ(send(state_path), "live");
  now += 5s;
  EXPECT_EQ(release(), std::nullopt);
}

TEST_F(NotificationSchedulerTest, StepConditionFiltersSmallChanges) {
  attributes[state_path].st = 2;
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), attributes[state_path]);
  EXPECT_EQ(scheduler.queued(state_path), 0u);
  scheduler.changed(state_path, state(3), attributes[state_path]);
  EXPECT_EQ(scheduler.queued(state_path), 1u);
}

TEST_F(NotificationSchedulerTest, CancelAndUnobservedPathsAreForgotten) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), {});
  scheduler.cancelled({1});
  EXPECT_FALSE(scheduler.is_observed(state_path));
  EXPECT_EQ(release(), std::nullopt);
  scheduler.changed(state_path, state(2), {});
  EXPECT_EQ(scheduler.queued(state_path), 0u);
}

TEST_F(NotificationSchedulerTest, ReleasedNotificationNeverBuiltIsDroppedAfterTheLimit) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), {});
  ASSERT_EQ(release(), state_path);
  now += 2s;
  scheduler.after_io(now);
  EXPECT_TRUE(scheduler.in_flight());
  now += 2s;
  scheduler.after_io(now);
  EXPECT_FALSE(scheduler.in_flight());
  EXPECT_FALSE(scheduler.is_observed(state_path));
}

TEST_F(NotificationSchedulerTest, ReobservingStartsFromTheCurrentValue) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), {});
  scheduler.observed(state_path, {9}, now, state(1));
  EXPECT_EQ(scheduler.queued(state_path), 0u);
  EXPECT_TRUE(scheduler.idle());
}

TEST_F(NotificationSchedulerTest, PayloadForAnotherPathIsLive) {
  scheduler.observed(state_path, {1}, now, state(0));
  scheduler.changed(state_path, state(1), {});
  ASSERT_EQ(release(), state_path);
  EXPECT_EQ(scheduler.payload_for(result_path), nullptr);
  EXPECT_EQ(send(state_path), "1");
}

}  // namespace
}  // namespace fc::refclient
