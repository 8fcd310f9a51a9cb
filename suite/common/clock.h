// Time for every wait in fotacheck: a monotonic clock and deadlines that cannot be forgotten.
#pragma once

#include <chrono>

namespace fc {

using Clock = std::chrono::steady_clock;
using Duration = std::chrono::milliseconds;
using namespace std::chrono_literals;

// A point after which a wait gives up. Built from a budget, never "forever".
class Deadline {
 public:
  explicit Deadline(Clock::duration budget) : at_(Clock::now() + budget) {}
  static Deadline at(Clock::time_point when) { return Deadline(when); }

  bool passed() const { return Clock::now() >= at_; }
  Duration remaining() const {
    auto left = std::chrono::duration_cast<Duration>(at_ - Clock::now());
    return left.count() > 0 ? left : Duration(0);
  }
  Clock::time_point when() const { return at_; }

 private:
  explicit Deadline(Clock::time_point when) : at_(when) {}
  Clock::time_point at_;
};

// Milliseconds since an origin, as traces and timelines print them.
inline double millis_since(Clock::time_point origin, Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(t - origin).count();
}

}  // namespace fc
