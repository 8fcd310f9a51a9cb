// How an adapter spends the time it waits on the device or its operator. The runner passes a
// waiter that pumps its event loop, so the reference server goes on answering the device while
// a process stops or starts, a hook resets a board, or an operator power-cycles one (a
// De-register on SIGTERM gets its 2.02; a Register sent meanwhile is not left to retransmit).
#pragma once

#include <functional>
#include <thread>

#include "suite/common/clock.h"

namespace fc::adapters {

// Spends about the given time; empty: sleep.
using Waiter = std::function<void(Duration)>;

inline void pause(const Waiter& waiter, Duration duration) {
  if (waiter) {
    waiter(duration);
  } else {
    std::this_thread::sleep_for(duration);
  }
}

}  // namespace fc::adapters
