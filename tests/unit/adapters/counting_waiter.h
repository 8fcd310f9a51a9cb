// A waiter for adapter tests: sleeps as the default would and adds up the time it was given,
// so a test can tell that a wait went through it.
#pragma once

#include <thread>

#include "adapters/waiter.h"

namespace fc::adapters::testing {

struct CountingWaiter {
  Duration waited{0};
  Waiter waiter() {
    return [this](Duration step) {
      waited += step;
      std::this_thread::sleep_for(step);
    };
  }
};

}  // namespace fc::adapters::testing
