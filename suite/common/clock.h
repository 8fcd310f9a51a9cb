// Time for every wait in fotacheck: a monotonic clock and deadlines that cannot be forgotten.
#pragma once

#include <atomic>
#include <chrono>

namespace fc {

using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;
using namespace std::chrono_literals;

// A process-wide stop for waits: once the check set here returns true (the runner got SIGINT or
// SIGTERM), every interruptible Deadline counts as passed. A case polls the device in loops that
// each run to their own deadline; with only the event loop's waits cut short, such a loop kept
// sending a request per round, unanswered, until libcoap ran out of message IDs (76 s and 60,000
// log lines after one SIGTERM). A null check (the default, and outside a run of cases) never stops.
using WaitInterruptionCheck = bool (*)();
inline std::atomic<WaitInterruptionCheck> wait_interruption_check{nullptr};
inline void set_wait_interruption(WaitInterruptionCheck check) { wait_interruption_check.store(check); }
inline bool wait_interrupted() {
  auto check = wait_interruption_check.load(std::memory_order_relaxed);
  return check && check();
}

// A point after which a wait gives up. Built from a budget, never "forever". A stop request
// (above) passes it at once, unless it is built `Uninterruptible`: the waits that must run their
// course even while the run stops (reaping a device process after SIGKILL).
class Deadline {
 public:
  enum Kind { Interruptible, Uninterruptible };
  explicit Deadline(Clock::duration budget, Kind kind = Interruptible) : at_(Clock::now() + budget), kind_(kind) {}
  static Deadline at(Clock::time_point when) { return Deadline(when); }

  bool passed() const { return interrupted() || Clock::now() >= at_; }
  Duration remaining() const {
    if (interrupted()) return Duration(0);
    auto left = std::chrono::duration_cast<Duration>(at_ - Clock::now());
    return left.count() > 0 ? left : Duration(0);
  }
  Clock::time_point when() const { return at_; }

 private:
  explicit Deadline(Clock::time_point when) : at_(when) {}
  bool interrupted() const { return kind_ == Interruptible && wait_interrupted(); }
  Clock::time_point at_;
  Kind kind_ = Interruptible;
};

// Milliseconds since an origin, as traces and timelines print them.
inline double millis_since(Clock::time_point origin, Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(t - origin).count();
}

}  // namespace fc
