#include "adapters/operator_console.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>
#include <ostream>

#include "adapters/device_adapter.h"

namespace fc::adapters {

namespace {

constexpr Duration kTerminalPoll = 50ms;

class TerminalConsole : public OperatorConsole {
 public:
  explicit TerminalConsole(int fd) : fd_(fd) {}
  ~TerminalConsole() override { ::close(fd_); }
  TerminalConsole(const TerminalConsole&) = delete;
  TerminalConsole& operator=(const TerminalConsole&) = delete;

  bool interactive() const override { return true; }

  void show(std::string_view text) override {
    while (!text.empty()) {
      const ssize_t written = ::write(fd_, text.data(), text.size());
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return;
      text.remove_prefix(static_cast<std::size_t>(written));
    }
  }

  OperatorAnswer wait_for_enter(Duration budget, const Waiter& waiter) override {
    // An Enter typed before the question was asked must not answer it.
    ::tcflush(fd_, TCIFLUSH);
    const Deadline deadline(budget);
    while (true) {
      pollfd ready{fd_, POLLIN, 0};
      const int waited = ::poll(&ready, 1, 0);
      if (waited < 0 && errno == EINTR) continue;
      if (waited < 0) return OperatorAnswer::Closed;
      if (waited == 0) {
        // The device may register while the operator works on it: the waiter answers it.
        if (deadline.passed()) return OperatorAnswer::TimedOut;
        pause(waiter, std::min(kTerminalPoll, deadline.remaining()));
        continue;
      }
      char buffer[256];
      const ssize_t got = ::read(fd_, buffer, sizeof buffer);
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (got <= 0) return OperatorAnswer::Closed;
      if (std::memchr(buffer, '\n', static_cast<std::size_t>(got)) != nullptr) return OperatorAnswer::Confirmed;
      if (deadline.passed()) return OperatorAnswer::TimedOut;
    }
  }

  std::string describe() const override { return "the terminal"; }

 private:
  int fd_;
};

}  // namespace

std::unique_ptr<OperatorConsole> open_terminal_console() {
  const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    throw AdapterError(std::string("the manual adapter needs an operator at a terminal; cannot open /dev/tty (") +
                       std::strerror(errno) +
                       "). Run fotacheck from an interactive terminal, or use adapter.type process or "
                       "hooks for unattended runs");
  }
  if (::isatty(fd) == 0) {
    ::close(fd);
    throw AdapterError("the manual adapter needs an operator at a terminal; /dev/tty is not a terminal. Run "
                       "fotacheck from an interactive terminal, or use adapter.type process or hooks for "
                       "unattended runs");
  }
  return terminal_console(fd);
}

std::unique_ptr<OperatorConsole> terminal_console(int fd) { return std::make_unique<TerminalConsole>(fd); }

void StreamConsole::show(std::string_view text) {
  out_ << text;
  out_.flush();
}

OperatorAnswer StreamConsole::wait_for_enter(Duration /*budget*/, const Waiter& /*waiter*/) {
  std::string line;
  return std::getline(in_, line) ? OperatorAnswer::Confirmed : OperatorAnswer::Closed;
}

}  // namespace fc::adapters
