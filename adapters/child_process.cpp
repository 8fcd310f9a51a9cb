#include "adapters/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "adapters/device_adapter.h"

extern char** environ;

namespace fc::adapters {

namespace {

constexpr Duration poll_interval = 10ms;
// After SIGKILL only a process stuck in the kernel can still be there; give up rather than hang.
constexpr Duration reap_budget = 5s;

std::string errno_text(int error) { return std::strerror(error); }

// Keeps fds 0-2 free for the child's dup2, even when this process runs with one of them closed.
int above_std_fds(int fd) {
  if (fd < 0 || fd > 2) return fd;
  const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(above_std_fds(fd)) {}
  ~OwnedFd() { reset(); }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::vector<std::string> environment_with(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    if (overrides.contains(std::string(text.substr(0, text.find('='))))) continue;
    out.emplace_back(text);
  }
  for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the forked child: async-signal-safe calls only, everything was prepared before fork.
[[noreturn]] void become_child(pid_t parent, const char* program, char* const* argv, char* const* envp,
                               int stdin_fd, int output_fd, int status_fd) {
  // The child lives in its own group, out of reach of the terminal's Ctrl-C, so it must die
  // with the runner however the runner ends (SIGKILL, a crash): the kernel sends SIGKILL when
  // the thread that forked it ends (the runner drives devices from its main thread). The
  // setting survives execve. Had the parent already ended before prctl, nobody would send it.
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);
  ::setpgid(0, 0);
  ::dup2(stdin_fd, STDIN_FILENO);
  ::dup2(output_fd, STDOUT_FILENO);
  ::dup2(output_fd, STDERR_FILENO);
  // Sockets and files of the suite must not live on in the device (a port kept busy).
  if (status_fd > 3) ::close_range(3, static_cast<unsigned>(status_fd - 1), 0);
  ::close_range(static_cast<unsigned>(status_fd + 1), ~0U, 0);
  // Ignored signals and the blocked mask survive exec; the device gets a clean slate.
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  for (int signal = 1; signal < NSIG; ++signal) ::sigaction(signal, &default_action, nullptr);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);

  ::execve(program, argv, envp);
  const int error = errno;
  [[maybe_unused]] const auto written = ::write(status_fd, &error, sizeof error);
  ::_exit(127);
}

// Runs in the forked guardian (async-signal-safe calls only): blocks until this process's end
// of the socket closes. A byte first means the group was ended in order; end of file alone
// means the runner died without ending it, so the guardian does.
[[noreturn]] void guard_group(pid_t group, int watch_fd) {
  ::setpgid(0, 0);  // out of the terminal's reach: Ctrl-C is the runner's to handle
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::sigaction(signal, &ignore, nullptr);
  if (watch_fd > 0) ::close_range(0, static_cast<unsigned>(watch_fd - 1), 0);
  ::close_range(static_cast<unsigned>(watch_fd + 1), ~0U, 0);
  char done = 0;
  ssize_t got = 0;
  do {
    got = ::read(watch_fd, &done, 1);
  } while (got < 0 && errno == EINTR);
  if (got != 1) ::kill(-group, SIGKILL);
  ::_exit(0);
}

}  // namespace

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* name = ::sigabbrev_np(signal);
    return name != nullptr ? fmt::format("killed by signal {} (SIG{})", signal, name)
                           : fmt::format("killed by signal {}", signal);
  }
  return fmt::format("ended with wait status {}", status);
}

ChildProcess::ChildProcess(const SpawnRequest& request)
    : end_group_with_child_(request.end_group_with_child) {
  OwnedFd output(::open(request.output.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
  if (output.get() < 0) {
    throw AdapterError(fmt::format("cannot open {} for the output of {}: {}", request.output.string(),
                                   request.program.string(), errno_text(errno)));
  }
  OwnedFd child_stdin;
  OwnedFd parent_stdin;
  if (request.keep_stdin_open) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) throw AdapterError("cannot create a pipe: " + errno_text(errno));
    child_stdin = OwnedFd(ends[0]);
    parent_stdin = OwnedFd(ends[1]);
  } else {
    child_stdin = OwnedFd(::open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (child_stdin.get() < 0) throw AdapterError("cannot open /dev/null: " + errno_text(errno));
  }
  int status_ends[2];
  if (::pipe2(status_ends, O_CLOEXEC) != 0) throw AdapterError("cannot create a pipe: " + errno_text(errno));
  OwnedFd status_read(status_ends[0]);
  OwnedFd status_write(status_ends[1]);

  std::string program = request.program.string();
  std::vector<std::string> argv_text{program};
  argv_text.insert(argv_text.end(), request.arguments.begin(), request.arguments.end());
  std::vector<std::string> env_text = environment_with(request.environment);
  const std::vector<char*> argv = c_strings(argv_text);
  const std::vector<char*> envp = c_strings(env_text);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw AdapterError(fmt::format("cannot start {}: fork failed: {}", program, errno_text(errno)));
  if (pid == 0) {
    become_child(parent, program.c_str(), argv.data(), envp.data(), child_stdin.get(), output.get(),
                 status_write.get());
  }
  // Also here, so that signals sent to the group right after the constructor reach the child
  // even before it has run its own setpgid.
  ::setpgid(pid, pid);
  pid_ = pid;
  status_write.reset();
  child_stdin.reset();
  output.reset();

  int exec_error = 0;
  ssize_t got = 0;
  do {
    got = ::read(status_read.get(), &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  if (got == static_cast<ssize_t>(sizeof exec_error)) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    status_ = status;
    group_cleared_ = true;
    throw AdapterError(fmt::format("cannot execute {}: {}", program, errno_text(exec_error)));
  }
  stdin_fd_ = parent_stdin.release();
  if (end_group_with_child_) start_guardian();
}

ChildProcess::~ChildProcess() {
  terminate();
  disarm_guardian();
}

// PR_SET_PDEATHSIG reaches the child alone; a client behind a shell wrapper (a pipeline, a
// background job) would outlive a runner that is killed or crashes. Best effort: without a
// guardian the child still dies with the runner.
void ChildProcess::start_guardian() {
  int ends[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) return;
  OwnedFd ours(ends[0]);
  OwnedFd theirs(ends[1]);
  const pid_t guardian = ::fork();
  if (guardian < 0) return;
  if (guardian == 0) guard_group(pid_, theirs.get());
  guardian_ = guardian;
  guardian_fd_ = ours.release();
}

void ChildProcess::disarm_guardian() {
  if (guardian_fd_ < 0) return;
  const char done = 1;
  [[maybe_unused]] const auto sent = ::send(guardian_fd_, &done, 1, MSG_NOSIGNAL);
  ::close(guardian_fd_);
  guardian_fd_ = -1;
  // It ends as soon as it reads; a stopped or stuck one is not waited for beyond a moment.
  const Deadline deadline(1s, Deadline::Uninterruptible);
  while (::waitpid(guardian_, nullptr, WNOHANG) == 0) {
    if (deadline.passed()) {
      ::kill(guardian_, SIGKILL);
      ::waitpid(guardian_, nullptr, 0);
      break;
    }
    std::this_thread::sleep_for(1ms);
  }
  guardian_ = -1;
}

void ChildProcess::reaped(int status) {
  status_ = status;
  if (end_group_with_child_) clear_group();
  close_stdin();
}

// The child's ID names its group as long as members remain; once none do, a recycled PID is
// no group's ID until its new owner makes it one, so the signal cannot hit a stranger.
void ChildProcess::clear_group() {
  if (group_cleared_) return;
  signal_group(SIGKILL);
  group_cleared_ = true;
  disarm_guardian();  // the group is gone; its ID may soon name a stranger's
}

bool ChildProcess::running() {
  if (pid_ < 0 || status_) return false;
  int status = 0;
  const pid_t result = ::waitpid(pid_, &status, WNOHANG);
  if (result == 0) return true;
  if (result == pid_) {
    reaped(status);
  } else {
    // ECHILD: someone else collected it (SIGCHLD set to SIG_IGN); it has ended all the same.
    status_unknown_ = true;
    reaped(0);
  }
  return false;
}

bool ChildProcess::wait_for_exit(Duration budget) {
  // A stopping run still gives the device its grace period and reaps it.
  const Deadline deadline(budget, Deadline::Uninterruptible);
  while (running()) {
    if (deadline.passed()) return false;
    pause(waiter_, std::min(poll_interval, deadline.remaining()));
  }
  return true;
}

void ChildProcess::terminate(Duration grace) {
  if (pid_ < 0) return;
  if (running()) {
    signal_group(SIGTERM);
    if (!wait_for_exit(grace)) {
      signal_group(SIGKILL);
      wait_for_exit(reap_budget);
    }
    clear_group();  // asked to end it: what it started goes too
  }
  close_stdin();
}

void ChildProcess::kill_now() {
  if (pid_ < 0) return;
  if (running()) {
    signal_group(SIGKILL);
    wait_for_exit(reap_budget);
    clear_group();
  }
  close_stdin();
}

std::string ChildProcess::exit_reason() const {
  if (!status_) return "running";
  return status_unknown_ ? "ended (its exit status was collected elsewhere)" : describe_wait_status(*status_);
}

void ChildProcess::signal_group(int signal) const {
  if (pid_ > 0) ::kill(-pid_, signal);
}

void ChildProcess::close_stdin() {
  if (stdin_fd_ >= 0) ::close(stdin_fd_);
  stdin_fd_ = -1;
}

}  // namespace fc::adapters
