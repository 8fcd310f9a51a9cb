// One child process in its own process group: spawned with its output appended to a file,
// watched without blocking, and always ended within a bounded time (SIGTERM, then SIGKILL).
// It does not outlive this process: the child gets SIGKILL when this process dies, however it
// dies, and a small guardian process then kills what the child started in its group.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/waiter.h"
#include "suite/common/clock.h"

namespace fc::adapters {

struct SpawnRequest {
  std::filesystem::path program;  // used as given: no PATH lookup here
  std::vector<std::string> arguments;  // argv[1..]
  // Added to the inherited environment, replacing variables of the same name.
  std::map<std::string, std::string> environment;
  std::filesystem::path output;  // stdout and stderr are appended to it (created when missing)
  // Closed: stdin is /dev/null. Open: a pipe whose write end this object holds until the end.
  bool keep_stdin_open = false;
  // Whether what the child leaves behind in its process group is killed once the child has
  // ended. A device process: yes. A hook may start background work on purpose (a delayed
  // power cut), so it may say no; a hook that overruns its timeout is killed group and all.
  bool end_group_with_child = true;
};

// "exited with status 3", "killed by signal 11 (SIGSEGV)".
std::string describe_wait_status(int status);

class ChildProcess {
 public:
  // Throws AdapterError when the child cannot be created or its exec fails (the errno comes
  // back through a close-on-exec pipe, so a failed exec is never mistaken for a crash).
  explicit ChildProcess(const SpawnRequest& request);
  ~ChildProcess();  // terminate(default_grace)
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  static constexpr Duration default_grace = 3s;

  pid_t pid() const { return pid_; }
  // Reaps the child without blocking; false once it has ended.
  bool running();
  // Polls until the child ends or `budget` passes; true when it ended.
  bool wait_for_exit(Duration budget);
  // How the time between polls is spent (waiter.h); sleeping unless set.
  void set_waiter(Waiter waiter) { waiter_ = std::move(waiter); }
  // SIGTERM to the group, up to `grace` for the child to end, then SIGKILL; reaps the child
  // and kills what is left of its group. Bounded; never throws. Idempotent.
  void terminate(Duration grace = default_grace);
  // SIGKILL to the group at once (a power cut), then reaps.
  void kill_now();

  // The raw wait status once the child has been reaped.
  std::optional<int> wait_status() const { return status_; }
  // describe_wait_status, or "running".
  std::string exit_reason() const;

 private:
  void signal_group(int signal) const;
  void close_stdin();

  void reaped(int status);
  void clear_group();
  void start_guardian();
  void disarm_guardian();

  pid_t pid_ = -1;
  std::optional<int> status_;
  int stdin_fd_ = -1;
  bool end_group_with_child_ = true;
  bool group_cleared_ = false;
  bool status_unknown_ = false;
  // The process that kills the group should this process die first (start_guardian).
  pid_t guardian_ = -1;
  int guardian_fd_ = -1;
  Waiter waiter_;
};

}  // namespace fc::adapters
