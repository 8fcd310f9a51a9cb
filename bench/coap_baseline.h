// libcoap's own example programs as the baseline a benchmark compares with: a coap-server
// child process on a free loopback port, and coap-client runs, all bounded in time.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace fc::bench {

// The first of `names` found in PATH-like `directories` ("coap-server", "coap-server-notls", …).
std::string find_program(const std::vector<std::string>& names);

// Runs a program to its end (killed after `timeout_ms`), output discarded; returns its exit code
// or -1 when it could not start or was killed.
int run_program(const std::vector<std::string>& argv, int timeout_ms);

// A UDP port that was free a moment ago on 127.0.0.1.
unsigned short free_udp_port();

class CoapServerProcess {
 public:
  // Starts `program` (libcoap's coap-server) with dynamic resources (-d) on 127.0.0.1:port and
  // waits until it answers; throws std::runtime_error when it does not within 3 s.
  explicit CoapServerProcess(const std::string& program);
  ~CoapServerProcess();
  CoapServerProcess(const CoapServerProcess&) = delete;
  CoapServerProcess& operator=(const CoapServerProcess&) = delete;

  unsigned short port() const { return port_; }
  std::string uri(const std::string& path) const;

 private:
  pid_t pid_ = -1;
  unsigned short port_ = 0;
};

}  // namespace fc::bench
