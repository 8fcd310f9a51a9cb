// libcoap's own example programs as the baseline a benchmark compares with: a coap-server
// child process on a free loopback port, and coap-client runs, all bounded in time.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>

#include <string>
#include <vector>

namespace fc::bench {

// The first of `names` found in PATH-like `directories` ("coap-server", "coap-server-notls", …).
std::string find_program(const std::vector<std::string>& names);

// Starts `argv` (a full path first) with stderr discarded, stdout to `stdout_fd` (discarded
// when -1) and stdin from `stdin_fd` (this program's when -1); -1 when it cannot start.
pid_t spawn_program(const std::vector<std::string>& argv, int stdout_fd = -1, int stdin_fd = -1);
// Waits for `pid` up to `timeout_ms`; kills it past that. Returns the exit code or -1; `usage`
// gets the child's resource use (CPU, peak RSS) when given.
int reap(pid_t pid, int timeout_ms, rusage* usage = nullptr);
// Runs a program to its end (killed after `timeout_ms`), output discarded; returns its exit code
// or -1 when it could not start or was killed.
int run_program(const std::vector<std::string>& argv, int timeout_ms, rusage* usage = nullptr);
// User + system CPU of a finished child.
double cpu_seconds(const rusage& usage);
// CPU time a running process's main thread has used so far, in ns (/proc/PID/schedstat): exact,
// where rusage of a running process counts in scheduler ticks.
std::uint64_t cpu_ns_so_far(pid_t pid);

// A UDP port that was free a moment ago on 127.0.0.1.
unsigned short free_udp_port();

// One of the benchmark's own programs, talking in lines: its stdin and stdout are pipes to this
// program (stderr discarded). Stopped (stdin closed, SIGTERM, waited for) when destroyed.
class LineProgram {
 public:
  // Throws std::runtime_error when it cannot start.
  explicit LineProgram(const std::vector<std::string>& argv);
  ~LineProgram();
  LineProgram(const LineProgram&) = delete;
  LineProgram& operator=(const LineProgram&) = delete;

  pid_t pid() const { return pid_; }
  // Its next line of output, without the newline; throws std::runtime_error naming the program
  // when none comes within `timeout_ms` or it ended.
  std::string read_line(int timeout_ms);
  // Reads its first line, "port N", and returns N; throws naming what it said instead.
  unsigned read_port(int timeout_ms);
  void write_line(const std::string& line);
  // Closes its stdin, sends SIGTERM, waits; `usage` gets its resource use. Returns its exit code.
  int stop(rusage* usage = nullptr);

 private:
  std::string name_;
  pid_t pid_ = -1;
  int to_child_ = -1;
  int from_child_ = -1;
  std::string buffered_;
};

class CoapServerProcess {
 public:
  // Starts `program` (libcoap's coap-server) with dynamic resources (-d) on 127.0.0.1:port and
  // waits until it answers; throws std::runtime_error when it does not within 3 s.
  explicit CoapServerProcess(const std::string& program);
  ~CoapServerProcess();
  CoapServerProcess(const CoapServerProcess&) = delete;
  CoapServerProcess& operator=(const CoapServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM and wait; `usage` gets its resource use. Returns its exit code (-1: killed).
  int stop(rusage* usage = nullptr);
  std::string uri(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

}  // namespace fc::bench
