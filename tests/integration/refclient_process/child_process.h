// The fotacheck-refclient binary as a child process: started with arguments, stderr captured
// to a file, stopped by signal, reaped with a bound, killed in teardown if still alive.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "suite/common/clock.h"

namespace fc::testing {

class ChildProcess {
 public:
  // Throws std::runtime_error when fork/exec cannot start.
  ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
               const std::filesystem::path& stderr_file);
  ~ChildProcess();  // SIGKILL and reap when still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int number) const;
  // The exit status once the child ended (a signal number is reported as 128 + signal).
  std::optional<int> poll_exit();
  bool running() { return !poll_exit().has_value(); }
  // What the child wrote to stderr so far, for failure messages.
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
  std::filesystem::path stderr_file_;
};

// An empty folder of its own for the running test: <build>/test-scratch/<group>/<test name>.
std::filesystem::path fresh_scratch_dir(const std::string& group);

// The command line every refclient test starts from: the server, the endpoint, state under
// `scratch`, the test signing key, loopback CoAP timeouts and debug logs; then `extra`.
std::vector<std::string> refclient_arguments(const std::string& server_uri, const std::string& endpoint,
                                             const std::filesystem::path& scratch,
                                             const std::vector<std::string>& extra = {});

}  // namespace fc::testing
