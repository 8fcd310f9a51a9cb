#include "bench/coap_baseline.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fc::bench {

pid_t spawn_program(const std::vector<std::string>& argv, int stdout_fd, int stdin_fd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

int reap(pid_t pid, int timeout_ms, rusage* usage) {
  rusage ignored{};
  if (!usage) usage = &ignored;
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int status = 0;
    pid_t done = ::wait4(pid, &status, WNOHANG, usage);
    if (done == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (std::chrono::steady_clock::now() >= until) {
      ::kill(pid, SIGKILL);
      ::wait4(pid, &status, 0, usage);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
}

double cpu_seconds(const rusage& usage) {
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::uint64_t cpu_ns_so_far(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
  std::uint64_t ns = 0;
  in >> ns;
  return ns;
}

std::string find_program(const std::vector<std::string>& names) {
  for (const auto& dir : {"/usr/bin", "/usr/local/bin", "/bin"})
    for (const auto& name : names) {
      std::string path = std::string(dir) + "/" + name;
      if (::access(path.c_str(), X_OK) == 0) return path;
    }
  return {};
}

int run_program(const std::vector<std::string>& argv, int timeout_ms, rusage* usage) {
  pid_t pid = spawn_program(argv);
  return pid < 0 ? -1 : reap(pid, timeout_ms, usage);
}

unsigned short free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  ::close(fd);
  return ntohs(addr.sin_port);
}

LineProgram::LineProgram(const std::vector<std::string>& argv) : name_(argv.at(0)) {
  int in[2], out[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = spawn_program(argv, out[1], in[0]);
  ::close(in[0]);
  ::close(out[1]);
  to_child_ = in[1];
  from_child_ = out[0];
  if (pid_ < 0) {
    ::close(to_child_);
    ::close(from_child_);
    throw std::runtime_error("cannot start " + name_);
  }
}

LineProgram::~LineProgram() { stop(); }

std::string LineProgram::read_line(int timeout_ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    auto newline = buffered_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    pollfd readable{from_child_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0)
      throw std::runtime_error(name_ + " said nothing within " + std::to_string(timeout_ms) + " ms");
    char chunk[256];
    auto n = ::read(from_child_, chunk, sizeof chunk);
    if (n <= 0) throw std::runtime_error(name_ + " ended (its last words: '" + buffered_ + "')");
    buffered_.append(chunk, static_cast<std::size_t>(n));
  }
}

unsigned LineProgram::read_port(int timeout_ms) {
  std::string line = read_line(timeout_ms);
  unsigned port = 0;
  if (std::sscanf(line.c_str(), "port %u", &port) != 1)
    throw std::runtime_error(name_ + " did not report its port (it said '" + line + "')");
  return port;
}

void LineProgram::write_line(const std::string& line) {
  std::string text = line + "\n";
  if (::write(to_child_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    throw std::runtime_error("cannot write to " + name_);
}

int LineProgram::stop(rusage* usage) {
  if (pid_ < 0) return -1;
  ::close(to_child_);
  ::close(from_child_);
  ::kill(pid_, SIGTERM);
  int code = reap(pid_, 5000, usage);
  pid_ = -1;
  return code;
}

CoapServerProcess::CoapServerProcess(const std::string& program) {
  port_ = free_udp_port();
  pid_ = spawn_program({program, "-A", "127.0.0.1", "-p", std::to_string(port_), "-d", "10"});
  if (pid_ < 0) throw std::runtime_error("cannot start " + program);
  // Ready once a coap-client GET of /.well-known/core succeeds.
  auto client = find_program({"coap-client", "coap-client-notls", "coap-client-gnutls", "coap-client-openssl"});
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < until) {
    if (run_program({client, "-B", "1", "-m", "get", uri("/.well-known/core")}, 1500) == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  throw std::runtime_error(program + " did not answer on port " + std::to_string(port_) + " within 3 s");
}

CoapServerProcess::~CoapServerProcess() { stop(); }

int CoapServerProcess::stop(rusage* usage) {
  if (pid_ < 0) return -1;
  ::kill(pid_, SIGTERM);
  int code = reap(pid_, 2000, usage);
  pid_ = -1;
  return code;
}

std::string CoapServerProcess::uri(const std::string& path) const {
  return "coap://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace fc::bench
