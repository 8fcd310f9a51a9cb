// A process-wide stop for the event loop's waits: once the check returns true (the runner got
// SIGINT or SIGTERM), EventLoop::await() and run_for() return at once, so the case in progress
// ends within a round instead of at its deadline. pump() is not affected: a stopping device is
// still answered. Signals are per process, so the check is too.
#pragma once

#include <functional>

namespace fc::coap {

// Replaces the check; an empty function turns it off (the default).
void set_wait_interruption(std::function<bool()> interrupted);
bool wait_interrupted();

}  // namespace fc::coap
