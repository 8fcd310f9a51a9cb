// SIGINT/SIGTERM handled by a runner that drives other runs (--all-profiles, --devices) for as
// long as this object lives; the previous handlers come back when it ends.
#pragma once

#include <csignal>

namespace fc::runner {

class StopSignalsHandled {
 public:
  explicit StopSignalsHandled(void (*handler)(int)) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &old_int_);
    ::sigaction(SIGTERM, &action, &old_term_);
  }
  ~StopSignalsHandled() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignalsHandled(const StopSignalsHandled&) = delete;
  StopSignalsHandled& operator=(const StopSignalsHandled&) = delete;

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

}  // namespace fc::runner
