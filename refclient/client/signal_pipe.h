// SIGTERM and SIGINT as a readable descriptor (the self-pipe trick), so the single-threaded
// main loop sees a stop request in the same poll() as its sockets.
#pragma once

namespace fc::refclient {

// Installs the handlers once and returns the read end (non-blocking, close-on-exec).
// Throws std::runtime_error when the pipe cannot be made.
int install_stop_signal_pipe();
// Empties the pipe; true when at least one signal had arrived.
bool drain_stop_signal_pipe(int fd);

}  // namespace fc::refclient
