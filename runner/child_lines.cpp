#include "runner/child_lines.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <ostream>
#include <stdexcept>
#include <string_view>

namespace fc::runner {

ChildLines::~ChildLines() {
  for (auto& stream : streams_) close_stream(stream);
}

std::size_t ChildLines::add(const std::string& label, posix_spawn_file_actions_t& actions) {
  const std::size_t child = streams_.size() / 2;
  for (int target : {STDOUT_FILENO, STDERR_FILENO}) {
    int fds[2];
    // Close-on-exec: no other child inherits this one's pipes; dup2 clears it on 1 and 2.
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      const int error = errno;
      // Keep two streams per child: a stdout pipe made before a failed stderr pipe goes too.
      if (streams_.size() % 2 != 0) {
        close_stream(streams_.back());
        streams_.pop_back();
      }
      throw std::runtime_error(std::string("cannot make a pipe for a device's console: ") + std::strerror(error));
    }
    ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    posix_spawn_file_actions_adddup2(&actions, fds[1], target);
    streams_.push_back({fds[0], fds[1], "[" + label + "] ", target == STDOUT_FILENO ? &out_ : &err_, {}});
  }
  return child;
}

void ChildLines::started(std::size_t child) {
  for (std::size_t s = 2 * child; s < 2 * child + 2; ++s) {
    if (streams_[s].write_fd >= 0) ::close(streams_[s].write_fd);
    streams_[s].write_fd = -1;
  }
}

void ChildLines::pump(int timeout_ms) {
  std::vector<pollfd> fds;
  std::vector<std::size_t> which;
  for (std::size_t s = 0; s < streams_.size(); ++s)
    if (streams_[s].read_fd >= 0) {
      fds.push_back({streams_[s].read_fd, POLLIN, 0});
      which.push_back(s);
    }
  if (fds.empty()) {
    ::poll(nullptr, 0, timeout_ms);
    return;
  }
  if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;  // a timeout, or a signal to forward
  for (std::size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents != 0) read_from(streams_[which[i]]);
}

void ChildLines::ended(std::size_t child) {
  for (std::size_t s = 2 * child; s < 2 * child + 2; ++s) {
    read_from(streams_[s]);
    emit_lines(streams_[s], true);
    close_stream(streams_[s]);
  }
}

void ChildLines::read_from(Stream& stream) {
  std::array<char, 16 * 1024> chunk;
  // Bounded: a process the child left behind that keeps writing cannot hold the parent here.
  for (int reads = 0; stream.read_fd >= 0 && reads < 256; ++reads) {
    ssize_t got = ::read(stream.read_fd, chunk.data(), chunk.size());
    if (got > 0) {
      stream.pending.append(chunk.data(), static_cast<std::size_t>(got));
      emit_lines(stream, false);
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    if (got == 0 || errno != EAGAIN) {  // the end, or an error: nothing more will come
      emit_lines(stream, true);
      ::close(stream.read_fd);
      stream.read_fd = -1;
    }
    return;
  }
}

void ChildLines::emit_lines(Stream& stream, bool flush_partial) {
  std::size_t start = 0;
  for (auto end = stream.pending.find('\n'); end != std::string::npos; end = stream.pending.find('\n', start)) {
    *stream.to << stream.prefix << std::string_view(stream.pending).substr(start, end + 1 - start);
    start = end + 1;
  }
  stream.pending.erase(0, start);
  if (flush_partial && !stream.pending.empty()) {
    *stream.to << stream.prefix << stream.pending << "\n";
    stream.pending.clear();
  }
  stream.to->flush();
}

void ChildLines::close_stream(Stream& stream) {
  for (int* fd : {&stream.read_fd, &stream.write_fd})
    if (*fd >= 0) {
      ::close(*fd);
      *fd = -1;
    }
}

}  // namespace fc::runner
