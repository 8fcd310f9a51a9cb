// The push measured with both senders as processes of their own, to one receiving process:
// fotacheck's reference server (fotacheck-push-serve: ReferenceServer, DeviceClient::write_raw
// to /5/0/0 in Block1, event loop and trace) and libcoap's `coap-client -m put -b 1024 -f FILE`,
// each pushing the same package to the same fotacheck-push-receiver (a libcoap device taking
// PUT /5/0/0 whole with libcoap's own block-wise receiving), interleaved (the order alternates
// per repetition). Prints per side the median and fastest wall time of a push, the sender's CPU
// per push, the receiver's, and the ratios fotacheck / coap-client.
//
//   push_process_bench [REPETITIONS (default 7)] [SIZE_KIB (default 1024)]
//
// Exits 2 when the set-up fails, 1 when a push fails or delivers a body of another size.
// See bench/README.md.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/coap_baseline.h"
#include "bench/figures.h"

namespace fc::bench {
namespace {

struct Sample {
  double wall_ms = 0;
  double sender_cpu_ms = 0;    // the sending process's CPU during the push
  double receiver_cpu_ms = 0;  // the receiver's, the same process for both sides
};

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// The receiver prints "received N" for each complete body; anything else is a failure.
void expect_received(LineProgram& receiver, std::size_t size, const std::string& who) {
  auto line = receiver.read_line(10'000);
  if (line != fmt::format("received {}", size))
    throw std::logic_error(fmt::format("the push by {} was received as '{}', not {} bytes", who, line, size));
}

Sample push_fotacheck(LineProgram& pusher, LineProgram& receiver, std::size_t size) {
  auto sender_before = cpu_ns_so_far(pusher.pid());
  auto receiver_before = cpu_ns_so_far(receiver.pid());
  auto start = std::chrono::steady_clock::now();
  pusher.write_line("push");
  auto answer = pusher.read_line(60'000);
  double wall = elapsed_ms(start);
  auto sender_after = cpu_ns_so_far(pusher.pid());
  if (answer.rfind("pushed 2.04", 0) != 0)
    throw std::logic_error("fotacheck's reference server did not push the package: " + answer);
  expect_received(receiver, size, "fotacheck's reference server");
  auto receiver_after = cpu_ns_so_far(receiver.pid());
  return {wall, static_cast<double>(sender_after - sender_before) / 1e6,
          static_cast<double>(receiver_after - receiver_before) / 1e6};
}

Sample push_coap_client(const std::string& client, const std::string& file, const std::string& uri,
                        LineProgram& receiver, std::size_t size) {
  auto receiver_before = cpu_ns_so_far(receiver.pid());
  auto start = std::chrono::steady_clock::now();
  rusage usage{};
  int code = run_program({client, "-m", "put", "-b", "1024", "-B", "60", "-f", file, uri}, 60'000, &usage);
  double wall = elapsed_ms(start);
  if (code != 0) throw std::logic_error(fmt::format("coap-client could not push the package (exit {})", code));
  expect_received(receiver, size, "coap-client");
  auto receiver_after = cpu_ns_so_far(receiver.pid());
  return {wall, cpu_seconds(usage) * 1e3, static_cast<double>(receiver_after - receiver_before) / 1e6};
}

// What a coap-client run costs before any payload moves: start-up and one small GET of the
// receiver's /.well-known/core (libcoap answers it itself).
Sample coap_client_startup(const std::string& client, const std::string& uri) {
  auto start = std::chrono::steady_clock::now();
  rusage usage{};
  if (run_program({client, "-m", "get", "-B", "10", uri}, 10'000, &usage) != 0)
    throw std::logic_error("coap-client could not GET " + uri);
  return {elapsed_ms(start), cpu_seconds(usage) * 1e3, 0};
}

void print_row(const std::string& name, const std::vector<Sample>& samples) {
  auto wall = column(samples, [](const Sample& s) { return s.wall_ms; });
  fmt::print("{:<40}{:>9.1f} ms{:>9.1f} ms{:>13.1f} ms{:>15.1f} ms\n", name, median(wall), fastest(wall),
             median(column(samples, [](const Sample& s) { return s.sender_cpu_ms; })),
             median(column(samples, [](const Sample& s) { return s.receiver_cpu_ms; })));
}

int run(int repetitions, std::size_t size) {
  std::string content(size, '\0');
  for (std::size_t i = 0; i < size; ++i) content[i] = static_cast<char>((i * 131) ^ (i >> 10));
  auto dir = std::filesystem::temp_directory_path() / fmt::format("fotacheck-push-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto file = (dir / "package.bin").string();
  std::ofstream(file, std::ios::binary) << content;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};

  auto client = find_program({"coap-client-notls", "coap-client", "coap-client-gnutls", "coap-client-openssl"});
  if (client.empty()) throw std::runtime_error("coap-client not found (libcoap3-bin)");
  auto here = std::filesystem::read_symlink("/proc/self/exe").parent_path();
  LineProgram pusher({(here / "fotacheck-push-serve").string(), file, "bench-device"});
  unsigned server_port = pusher.read_port(5000);
  LineProgram receiver({(here / "fotacheck-push-receiver").string(), std::to_string(server_port), "bench-device"});
  unsigned receiver_port = receiver.read_port(5000);
  if (auto said = pusher.read_line(15'000); said != "registered")
    throw std::runtime_error("the receiver did not register with fotacheck-push-serve: " + said);
  auto uri = fmt::format("coap://127.0.0.1:{}/5/0/0", receiver_port);
  auto startup_uri = fmt::format("coap://127.0.0.1:{}/.well-known/core", receiver_port);

  std::vector<Sample> fotacheck, baseline, startup;
  push_fotacheck(pusher, receiver, size);  // warm-up, not counted
  push_coap_client(client, file, uri, receiver, size);
  for (int i = 0; i < repetitions; ++i) {
    if (i % 2) {
      baseline.push_back(push_coap_client(client, file, uri, receiver, size));
      fotacheck.push_back(push_fotacheck(pusher, receiver, size));
    } else {
      fotacheck.push_back(push_fotacheck(pusher, receiver, size));
      baseline.push_back(push_coap_client(client, file, uri, receiver, size));
    }
    startup.push_back(coap_client_startup(client, startup_uri));
  }
  rusage pusher_usage{};
  pusher.stop(&pusher_usage);
  receiver.stop();

  fmt::print("push of {} KiB, Block1 1024 B, to /5/0/0 of one libcoap receiver process, {} interleaved "
             "repetitions:\n",
             size / 1024, repetitions);
  fmt::print("{:<40}{:>12}{:>13}{:>17}{:>18}\n", "sender", "wall median", "wall fastest", "sender CPU med.",
             "receiver CPU med.");
  print_row("fotacheck reference server (write_raw)", fotacheck);
  print_row("libcoap coap-client -m put", baseline);
  auto ratio = [&](auto field, auto pick) {
    return pick(column(fotacheck, field)) / pick(column(baseline, field));
  };
  auto wall = [](const Sample& s) { return s.wall_ms; };
  auto cpu = [](const Sample& s) { return s.sender_cpu_ms; };
  fmt::print("{:<40}{:>12.2f}{:>12.2f}{:>16.2f}   (goals: wall <= 1.00, CPU <= 1.10)\n",
             "ratio fotacheck / coap-client", ratio(wall, median), ratio(wall, fastest), ratio(cpu, median));
  auto startup_cpu = median(column(startup, cpu));
  fmt::print("coap-client start-up and one small GET: wall {:.1f} ms, CPU {:.1f} ms (inside every coap-client "
             "figure); CPU ratio without it {:.2f}\n",
             median(column(startup, wall)), startup_cpu,
             median(column(fotacheck, cpu)) / (median(column(baseline, cpu)) - startup_cpu));
  fmt::print("fotacheck-push-serve's whole CPU (rusage at exit, start-up and registration included): {:.1f} ms, "
             "peak RSS {} KiB\n",
             cpu_seconds(pusher_usage) * 1e3, pusher_usage.ru_maxrss);
  return 0;
}

}  // namespace
}  // namespace fc::bench

int main(int argc, char** argv) { return fc::bench::process_bench_main("push_process_bench", argc, argv, fc::bench::run); }
