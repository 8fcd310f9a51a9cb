// Where the manual adapter talks to its operator: the controlling terminal, or streams (tests).
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "adapters/waiter.h"
#include "suite/common/clock.h"

namespace fc::adapters {

enum class OperatorAnswer { Confirmed, TimedOut, Closed };

class OperatorConsole {
 public:
  virtual ~OperatorConsole() = default;
  // Whether a person can answer here; the manual adapter refuses to run otherwise.
  virtual bool interactive() const = 0;
  virtual void show(std::string_view text) = 0;
  // Waits (bounded) for the operator to press Enter, spending the time through `waiter`.
  virtual OperatorAnswer wait_for_enter(Duration budget, const Waiter& waiter) = 0;
  virtual std::string describe() const = 0;
};

// The controlling terminal (/dev/tty), whatever stdin and stdout are redirected to. Throws
// AdapterError when there is none (CI, a service, `setsid`).
std::unique_ptr<OperatorConsole> open_terminal_console();
// The same console on a descriptor already open (taken over and closed at the end): what
// open_terminal_console() builds on /dev/tty; tests give it a pipe.
std::unique_ptr<OperatorConsole> terminal_console(int fd);

// Streams standing in for a terminal. Reading a stream cannot be bounded, so `budget` is not
// enforced here: fine for tests, where the input is already there.
class StreamConsole : public OperatorConsole {
 public:
  StreamConsole(std::istream& in, std::ostream& out, bool interactive)
      : in_(in), out_(out), interactive_(interactive) {}
  bool interactive() const override { return interactive_; }
  void show(std::string_view text) override;
  OperatorAnswer wait_for_enter(Duration budget, const Waiter& waiter) override;
  std::string describe() const override { return "a stream console"; }

 private:
  std::istream& in_;
  std::ostream& out_;
  bool interactive_;
};

}  // namespace fc::adapters
