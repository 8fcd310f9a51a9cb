// fotacheck's firmware repository as a process of its own, for benchmarks that compare it with
// libcoap's coap-server as a process: the same FirmwareRepository, event loop and trace the
// runner uses, serving one file over CoAP (UDP) until SIGTERM or SIGINT.
//
//   fotacheck-repository-serve FILE [PATH] [PORT]
//
// PATH defaults to /fw/big.bin, PORT to a free one. Prints "port N" on stdout once it listens.
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "suite/repository/firmware_repository.h"

namespace {

std::atomic<bool> stopping{false};

void on_signal(int) { stopping = true; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s FILE [PATH] [PORT]\n", argv[0]);
    return 2;
  }
  try {
    std::ifstream in(argv[1], std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("cannot read '{}'", argv[1]));
    std::ostringstream read;
    read << in.rdbuf();
    auto text = read.str();
    fc::Bytes content(text.begin(), text.end());
    std::string path = argc > 2 ? argv[2] : "/fw/big.bin";

    struct sigaction action {};
    action.sa_handler = on_signal;
    ::sigaction(SIGTERM, &action, nullptr);
    ::sigaction(SIGINT, &action, nullptr);

    fc::coap::EventLoop loop;
    fc::coap::Trace trace;
    fc::repository::RepositoryConfig config;
    config.http = false;
    config.tcp = false;
    if (argc > 3) config.coap_port = static_cast<std::uint16_t>(std::stoi(argv[3]));
    fc::repository::FirmwareRepository repository(loop, trace, config);
    repository.publish(path, std::move(content));
    std::printf("port %u\n", static_cast<unsigned>(repository.coap_address().port));
    std::fflush(stdout);
    // As in a run, where a case's messages stay in the trace until the case ends and takes them:
    // here a "case" is two 1 MiB pulls (4096 messages), so a long benchmark does not grow.
    constexpr std::size_t kCaseMessages = 4096;
    std::size_t case_start = trace.mark();
    while (!stopping) {
      loop.pump(fc::Duration(100));
      if (trace.mark() - case_start >= kCaseMessages) {
        trace.take(case_start);
        case_start = trace.mark();
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fotacheck-repository-serve: %s\n", e.what());
    return 1;
  }
}
