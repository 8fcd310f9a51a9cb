#include "tests/integration/refclient_process/child_process.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fc::testing {

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& arguments,
                           const std::filesystem::path& stderr_file)
    : stderr_file_(stderr_file) {
  std::vector<std::string> args{program};
  args.insert(args.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  const int err_fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err_fd < 0) throw std::runtime_error("cannot open " + stderr_file.string() + ": " + std::strerror(errno));
  pid_ = fork();
  if (pid_ < 0) {
    close(err_fd);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  if (pid_ == 0) {
    dup2(err_fd, STDERR_FILENO);
    dup2(err_fd, STDOUT_FILENO);
    // The test's own sockets (the server's port) must not live on in the client: a server
    // "restarted" by the test would otherwise never look gone.
    close_range(3, ~0u, 0);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(err_fd);
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_status_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void ChildProcess::signal(int number) const {
  if (pid_ > 0 && !exit_status_) kill(pid_, number);
}

std::optional<int> ChildProcess::poll_exit() {
  if (exit_status_ || pid_ <= 0) return exit_status_;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  return exit_status_;
}

std::string ChildProcess::stderr_text() const {
  std::ifstream in(stderr_file_);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path fresh_scratch_dir(const std::string& group) {
  auto dir = std::filesystem::path(FOTACHECK_BINARY_DIR) / "test-scratch" / group /
             ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::vector<std::string> refclient_arguments(const std::string& server_uri, const std::string& endpoint,
                                             const std::filesystem::path& scratch,
                                             const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--server",         server_uri,
                                "--endpoint",       endpoint,
                                "--state-dir",      (scratch / "state").string(),
                                "--verify-key",     std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/keys/package-signing.pub.pem",
                                "--ack-timeout",    "1",
                                "--max-retransmit", "1",
                                "--log-level",      "debug"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace fc::testing
