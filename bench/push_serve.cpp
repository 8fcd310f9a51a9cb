// fotacheck's reference server pushing a package as a process of its own, for the push
// benchmark (bench/README.md): the same ReferenceServer, DeviceClient::write_raw (Block1 PUT to
// /5/0/0), event loop and trace the runner uses. It waits for one device to register, then
// pushes FILE to it once for every "push" line on stdin and answers "pushed CODE" (or
// "failed WHY") on stdout; end of input ends it.
//
//   fotacheck-push-serve FILE [ENDPOINT (default bench-device)] [BLOCK_SIZE (default 1024)]
//
// Prints "port N" once it listens on 127.0.0.1, "registered" once ENDPOINT has registered
// (exits 1 when it does not within 10 s).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "suite/lwm2m/path.h"
#include "suite/server/reference_server.h"

namespace {

constexpr std::uint16_t kOctetStream = 42;  // application/octet-stream, as a package is written

fc::Bytes read_package(const char* file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read '{}'", file));
  std::ostringstream read;
  read << in.rdbuf();
  auto text = read.str();
  return fc::Bytes(text.begin(), text.end());
}

void say(const std::string& line) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: %s FILE [ENDPOINT] [BLOCK_SIZE]\n", argv[0]);
    return 2;
  }
  try {
    auto package = read_package(argv[1]);
    std::string endpoint = argc > 2 ? argv[2] : "bench-device";
    fc::server::WriteOptions options;
    options.block_size = argc > 3 ? std::stoul(argv[3]) : 1024;

    spdlog::set_level(spdlog::level::warn);  // stdout carries the answers alone
    fc::coap::EventLoop loop;
    fc::coap::Trace trace;
    fc::server::ServerConfig config;
    config.operation_timeout = fc::Duration(30'000);
    fc::server::ReferenceServer server(loop, trace, config);
    say(fmt::format("port {}", server.address().port));
    if (!server.await_registration(endpoint, fc::Deadline(fc::Duration(10'000)))) {
      say(fmt::format("failed: {} did not register within 10 s", endpoint));
      return 1;
    }
    say("registered");
    auto device = server.device(endpoint);
    std::string command;
    while (std::getline(std::cin, command)) {
      if (command != "push") {
        say(fmt::format("failed: unknown command '{}' (only 'push')", command));
        continue;
      }
      // As in a run: the push is one case's traffic, its trace taken when it ends.
      auto mark = trace.mark();
      auto response = device.write_raw(fc::lwm2m::Path{5, 0, 0}, kOctetStream, package, options);
      trace.take(mark);  // and let go of, before the answer: the CPU figure includes it
      say(response.ok() ? fmt::format("pushed {}", response.code.str()) : "failed: " + response.describe());
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fotacheck-push-serve: %s\n", e.what());
    return 1;
  }
}
