// 100 devices at once: N reference-client processes register with one reference LwM2M server
// and pull one signed package (256 KiB by default) concurrently from one firmware repository,
// all on one event loop in this process, as the runner holds them. Reports the time from the
// first Package URI write until every device is in State 2 (Downloaded), and this process's
// memory per device: (peak RSS - RSS before the devices started) / N. Every message stays in
// the trace until the end, as it would within one case.
//
//   many_devices_bench [DEVICES (default 100)] [PACKAGE_KIB (default 256)]
//
// Exits 1 when a device does not reach Downloaded within the bound, 2 when the set-up fails.
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/coap_baseline.h"
#include "suite/forge/forge.h"
#include "suite/lwm2m/path.h"
#include "suite/repository/firmware_repository.h"
#include "suite/server/reference_server.h"

namespace fc::bench {
namespace {

// VmRSS or VmHWM (the peak) of this process, KiB.
long memory_kib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  return 0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int run(std::size_t devices, std::size_t package_size) {
  const std::filesystem::path source = FOTACHECK_SOURCE_DIR;
  const auto refclient =
      (std::filesystem::read_symlink("/proc/self/exe").parent_path() / "../refclient/fotacheck-refclient").lexically_normal();
  if (!std::filesystem::exists(refclient)) throw std::runtime_error(refclient.string() + " is not built");
  auto dir = std::filesystem::temp_directory_path() / fmt::format("fotacheck-many-devices-{}", ::getpid());
  std::filesystem::create_directories(dir);

  coap::EventLoop loop;
  coap::Trace trace;
  server::ServerConfig server_config;
  server_config.ack_timeout_s = 1.0;
  server::ReferenceServer server(loop, trace, server_config);
  repository::RepositoryConfig repository_config;
  repository_config.http = false;
  repository_config.tcp = false;
  repository::FirmwareRepository repository(loop, trace, repository_config);
  forge::PackageSpec spec;
  auto package = forge::forge(forge::with_package_size(spec, package_size),
                              forge::ForgeKeys::from_pem_file(source / "fixtures/keys/package-signing.key.pem"));
  auto uri = repository.publish("/fw/many.bin", package).coap_uri;

  long rss_before = memory_kib("VmRSS");
  std::vector<pid_t> pids;
  std::vector<std::string> endpoints;
  auto stop_all = [&] {
    for (pid_t pid : pids) ::kill(pid, SIGTERM);
    for (pid_t pid : pids) reap(pid, 5000);
    pids.clear();
  };
  auto started = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < devices; ++i) {
    endpoints.push_back(fmt::format("bench-{}", i));
    auto state = dir / endpoints.back();
    pid_t pid = spawn_program({refclient.string(), "--server", server.uri(), "--endpoint", endpoints.back(),
                               "--state-dir", state.string(), "--verify-key",
                               (source / "fixtures/keys/package-signing.pub.pem").string(), "--ack-timeout", "1",
                               "--max-retransmit", "4", "--lifetime", "600", "--protocols", "coap", "--delivery",
                               "pull"});
    if (pid < 0) {
      stop_all();
      throw std::runtime_error("cannot start " + refclient.string());
    }
    pids.push_back(pid);
  }
  for (const auto& endpoint : endpoints)
    if (!server.await_registration(endpoint, Deadline(Duration(60'000)))) {
      stop_all();
      throw std::runtime_error(endpoint + " did not register within 60 s");
    }
  double registered_s = seconds_since(started);

  auto pulling = std::chrono::steady_clock::now();
  const lwm2m::Path package_uri{5, 0, 1}, state{5, 0, 3};
  for (const auto& endpoint : endpoints) {
    auto written = server.device(endpoint).write(package_uri, {lwm2m::Record{package_uri, lwm2m::Value(uri)}});
    if (!written.ok()) {
      stop_all();
      throw std::runtime_error(fmt::format("Write Package URI to {} failed: {}", endpoint, written.describe()));
    }
  }
  std::set<std::string> downloaded;
  Deadline bound(Duration(600'000));
  while (downloaded.size() < endpoints.size() && !bound.passed()) {
    for (const auto& endpoint : endpoints) {
      if (downloaded.count(endpoint)) continue;
      auto value = server.device(endpoint).read(state).value(state);
      if (value && value->as_int() == 2) downloaded.insert(endpoint);
    }
    loop.run_for(Duration(100));
  }
  double pull_s = seconds_since(pulling);
  long rss_peak = memory_kib("VmHWM");
  auto counters = repository.counters("/fw/many.bin");
  std::size_t trace_entries = trace.mark();
  stop_all();
  std::filesystem::remove_all(dir);

  fmt::print("{} reference-client processes, one {} KiB package over CoAP Block2 (1024 B) from one repository, "
             "one reference server, one event loop:\n",
             devices, package.size() / 1024);
  fmt::print("  registered: all {} in {:.1f} s\n", devices, registered_s);
  fmt::print("  Downloaded (State 2): {} of {} in {:.1f} s from the first Package URI write\n", downloaded.size(),
             devices, pull_s);
  fmt::print("  repository: {} transfers completed, {} blocks, {:.2f} bytes served per package byte per device\n",
             counters.completed, counters.blocks,
             static_cast<double>(counters.bytes) / static_cast<double>(package.size() * devices));
  fmt::print("  runner memory: {} KiB before the devices, peak {} KiB ({} trace entries kept): {:.0f} KiB per device "
             "(goal: at most 1024)\n",
             rss_before, rss_peak, trace_entries, static_cast<double>(rss_peak - rss_before) / static_cast<double>(devices));
  return downloaded.size() == endpoints.size() ? 0 : 1;
}

}  // namespace
}  // namespace fc::bench

int main(int argc, char** argv) {
  try {
    std::size_t devices = argc > 1 ? std::stoul(argv[1]) : 100;
    std::size_t size = (argc > 2 ? std::stoul(argv[2]) : 256) * 1024;
    return fc::bench::run(devices, size);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "many_devices_bench: %s\n", e.what());
    return 2;
  }
}
