// The repository pull measured with both servers as processes of their own: fotacheck's
// repository (fotacheck-repository-serve, next to this program) and libcoap's coap-server, each
// pulled by the same coap-client program, interleaved (the order alternates per repetition).
// Prints per side the median and fastest wall time of a pull, the server's CPU per pull, and
// the ratios fotacheck / coap-server; at the end the servers' whole CPU from their rusage.
//
//   repository_process_bench [REPETITIONS (default 7)] [SIZE_KIB (default 1024)]
//
// Exits 2 when the set-up fails, 1 when a pull delivers the wrong bytes. See bench/README.md.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/coap_baseline.h"
#include "bench/figures.h"

namespace fc::bench {
namespace {

struct Sample {
  double wall_ms = 0;
  double server_cpu_ms = 0;  // the server's CPU during the pull
  double client_cpu_ms = 0;  // coap-client's
};

struct Side {
  std::string name;
  pid_t pid = -1;
  std::string uri;
  std::vector<Sample> samples;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// fotacheck-repository-serve serving `file`; its port is read from its first line of output.
pid_t start_fotacheck_server(const std::string& program, const std::string& file, unsigned& port) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = spawn_program({program, file, "/fw/big.bin"}, pipe_fds[1]);
  ::close(pipe_fds[1]);
  if (pid < 0) throw std::runtime_error("cannot start " + program);
  std::string line;
  char c = 0;
  while (::read(pipe_fds[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(pipe_fds[0]);
  if (std::sscanf(line.c_str(), "port %u", &port) != 1) {
    ::kill(pid, SIGKILL);
    reap(pid, 2000);
    throw std::runtime_error(program + " did not report its port (it said '" + line + "')");
  }
  return pid;
}

Sample pull_once(const std::string& client, const Side& side, const std::string& out_file,
                 const std::string& expected) {
  std::filesystem::remove(out_file);
  auto cpu_before = cpu_ns_so_far(side.pid);
  auto start = std::chrono::steady_clock::now();
  rusage usage{};
  int code = run_program({client, "-m", "get", "-b", "1024", "-B", "30", "-o", out_file, side.uri}, 60'000, &usage);
  auto wall = std::chrono::steady_clock::now() - start;
  auto cpu_after = cpu_ns_so_far(side.pid);
  if (code != 0 || read_file(out_file) != expected)
    throw std::logic_error(fmt::format("the pull from {} ({}) failed or delivered other bytes (exit {})", side.name,
                                       side.uri, code));
  return {std::chrono::duration<double, std::milli>(wall).count(), static_cast<double>(cpu_after - cpu_before) / 1e6,
          cpu_seconds(usage) * 1e3};
}

int run(int repetitions, std::size_t size) {
  std::string content(size, '\0');
  for (std::size_t i = 0; i < size; ++i) content[i] = static_cast<char>((i * 131) ^ (i >> 10));
  auto dir = std::filesystem::temp_directory_path() / fmt::format("fotacheck-process-bench-{}", ::getpid());
  std::filesystem::create_directories(dir);
  auto file = (dir / "big.bin").string();
  auto out_file = (dir / "pulled.bin").string();
  std::ofstream(file, std::ios::binary) << content;

  auto client = find_program({"coap-client", "coap-client-notls", "coap-client-gnutls", "coap-client-openssl"});
  auto server = find_program({"coap-server-notls", "coap-server", "coap-server-gnutls", "coap-server-openssl"});
  auto serve = (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "fotacheck-repository-serve").string();
  if (client.empty() || server.empty()) throw std::runtime_error("coap-client/coap-server not found (libcoap3-bin)");

  CoapServerProcess libcoap(server);
  if (run_program({client, "-m", "put", "-b", "1024", "-f", file, libcoap.uri("/fw/big.bin")}, 30'000) != 0)
    throw std::runtime_error("coap-client could not PUT the package to coap-server");
  unsigned port = 0;
  Side fotacheck{"fotacheck repository", start_fotacheck_server(serve, file, port), "", {}};
  fotacheck.uri = fmt::format("coap://127.0.0.1:{}/fw/big.bin", port);
  Side baseline{"libcoap coap-server", libcoap.pid(), libcoap.uri("/fw/big.bin"), {}};

  pull_once(client, fotacheck, out_file, content);  // warm-up, not counted
  pull_once(client, baseline, out_file, content);
  for (int i = 0; i < repetitions; ++i) {
    Side* order[2] = {&fotacheck, &baseline};
    if (i % 2) std::swap(order[0], order[1]);
    for (auto* side : order) side->samples.push_back(pull_once(client, *side, out_file, content));
  }

  rusage fotacheck_usage{}, baseline_usage{};
  ::kill(fotacheck.pid, SIGTERM);
  reap(fotacheck.pid, 5000, &fotacheck_usage);
  libcoap.stop(&baseline_usage);
  std::filesystem::remove_all(dir);

  auto wall = [](const Sample& s) { return s.wall_ms; };
  auto server_cpu = [](const Sample& s) { return s.server_cpu_ms; };
  auto client_cpu = [](const Sample& s) { return s.client_cpu_ms; };
  fmt::print("pull of {} KiB, Block2 1024 B, both servers as processes, the same coap-client, {} interleaved "
             "repetitions:\n",
             size / 1024, repetitions);
  fmt::print("{:<34}{:>13}{:>13}{:>17}{:>17}\n", "", "wall median", "wall fastest", "server CPU med.",
             "client CPU med.");
  for (const Side* side : {&fotacheck, &baseline})
    fmt::print("{:<34}{:>9.1f} ms{:>9.1f} ms{:>13.1f} ms{:>13.1f} ms\n", side->name,
               median(column(side->samples, wall)), fastest(column(side->samples, wall)),
               median(column(side->samples, server_cpu)), median(column(side->samples, client_cpu)));
  auto ratio = [&](auto field, auto pick) {
    return pick(column(fotacheck.samples, field)) / pick(column(baseline.samples, field));
  };
  fmt::print("{:<34}{:>12.2f}{:>12.2f}{:>16.2f}   (goals: wall <= 1.00, CPU <= 1.10)\n", "ratio fotacheck / coap-server",
             ratio(wall, median), ratio(wall, fastest), ratio(server_cpu, median));
  double fotacheck_total = cpu_seconds(fotacheck_usage) * 1e3, baseline_total = cpu_seconds(baseline_usage) * 1e3;
  fmt::print("servers' whole CPU (rusage at exit, start-up and the PUT included): fotacheck {:.1f} ms, coap-server "
             "{:.1f} ms, ratio {:.2f}; peak RSS {} KiB vs {} KiB\n",
             fotacheck_total, baseline_total, fotacheck_total / baseline_total, fotacheck_usage.ru_maxrss,
             baseline_usage.ru_maxrss);
  return 0;
}

}  // namespace
}  // namespace fc::bench

int main(int argc, char** argv) { return fc::bench::process_bench_main("repository_process_bench", argc, argv, fc::bench::run); }
