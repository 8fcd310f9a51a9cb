#include "refclient/client/signal_pipe.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace fc::refclient {

namespace {

int g_write_end = -1;

extern "C" void on_stop_signal(int) {
  const int saved = errno;
  const char byte = 1;
  [[maybe_unused]] const auto written = write(g_write_end, &byte, 1);
  errno = saved;
}

}  // namespace

int install_stop_signal_pipe() {
  static int read_end = -1;
  if (read_end >= 0) return read_end;
  int ends[2];
  if (pipe2(ends, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::runtime_error(std::string("cannot create the signal pipe: ") + std::strerror(errno));
  }
  read_end = ends[0];
  g_write_end = ends[1];
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  return read_end;
}

bool drain_stop_signal_pipe(int fd) {
  bool any = false;
  char buffer[64];
  while (true) {
    const auto got = read(fd, buffer, sizeof(buffer));
    if (got <= 0) break;
    any = true;
  }
  return any;
}

}  // namespace fc::refclient
