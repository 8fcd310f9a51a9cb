#include "runner/parallel_devices.h"

#include <spawn.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <optional>
#include <ostream>

#include "reports/report_set.h"
#include "reports/run_merge.h"
#include "runner/child_lines.h"
#include "runner/exit_status.h"
#include "runner/stop_signals.h"

extern char** environ;

namespace fc::runner {

namespace fs = std::filesystem;

namespace {

// The children lead their own process groups, so a Ctrl-C on the terminal reaches this process
// only, and each child gets exactly one signal from here (a second one would make it exit
// without its reports).
constexpr std::size_t kMaxDevices = 64;
std::array<std::atomic<pid_t>, kMaxDevices> children{};
std::atomic<int> stop_signal{0};

void forward_signal(int signal) {
  int expected = 0;
  if (!stop_signal.compare_exchange_strong(expected, signal)) return;
  for (auto& child : children)
    if (pid_t pid = child.load(); pid > 0) ::kill(pid, signal);
}

// The parent's environment with CI=true: each device's runner prints plain lines (no status line
// redrawn in place), as N status lines on one terminal would overwrite each other.
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "CI=", 3) != 0) env.emplace_back(*e);
  env.emplace_back("CI=true");
  return env;
}

pid_t spawn(const fs::path& self, const std::vector<std::string>& args, std::vector<std::string>& env,
            posix_spawn_file_actions_t& actions, std::ostream& err) {
  std::vector<std::string> argv_text{self.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  pid_t child = 0;
  int error = ::posix_spawn(&child, self.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    err << "fotacheck: cannot start " << self.string() << ": " << std::strerror(error) << "\n";
    return -1;
  }
  return child;
}

}  // namespace

std::vector<DeviceSlot> device_slots(const std::vector<std::vector<std::string>>& parts,
                                     const std::vector<std::string>& lab_names) {
  std::vector<DeviceSlot> slots;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    DeviceSlot slot;
    if (lab_names.empty()) {
      slot.label = slot.folder = fmt::format("device-{}", slots.size() + 1);
    } else {
      slot.label = lab_names.at(i);
      slot.folder = "device-" + lab_names[i];
      slot.args = {"--lab-device", lab_names[i]};
    }
    slot.cases = parts[i];
    slots.push_back(std::move(slot));
  }
  return slots;
}

std::string parallel_devices_problem(const profile::Profile& profile, unsigned devices) {
  if (!profile.lab_device.empty())
    return fmt::format("--devices {} starts {} instances of a process device; {} lists its lab devices (devices:), "
                       "and fotacheck runs each of them (--lab-device NAME runs one)",
                       devices, devices, profile.source.string());
  if (profile.adapter.type != profile::AdapterType::Process)
    return fmt::format("--devices {} starts {} instances of a process device; {} drives one device through {} "
                       "(list several boards under devices: in the profile, or split the cases with --shard K/N "
                       "and join them with fotacheck report --merge)",
                       devices, devices, profile.source.string(),
                       profile.adapter.type == profile::AdapterType::Hooks ? "hooks" : "an operator");
  if (profile.server.port != 0)
    return fmt::format("--devices {}: {} fixes server.port {}, which {} instances cannot share; leave it out "
                       "(an ephemeral port per device)", devices, profile.source.string(), profile.server.port, devices);
  if (profile.repository.coap_port != 0 || profile.repository.http_port != 0)
    return fmt::format("--devices {}: {} fixes the repository's ports (coap_port/http_port), which {} instances "
                       "cannot share; leave them out", devices, profile.source.string(), devices);
  return {};
}

int run_parallel_devices(const ParallelDevicesRun& request, std::ostream& out, std::ostream& err) {
  const auto& devices = request.devices;
  if (devices.empty() || devices.size() > kMaxDevices) {
    err << fmt::format("fotacheck: a run takes 1 to {} devices side by side that each get a case\n", kMaxDevices);
    return kEnvironmentError;
  }
  std::optional<StopSignalsHandled> stop_signals{std::in_place, forward_signal};

  auto env = child_environment();
  ChildLines lines(out, err);
  std::vector<fs::path> dirs;
  std::vector<int> statuses(devices.size(), kEnvironmentError);
  std::vector<std::size_t> console(devices.size());
  std::size_t running = 0;
  for (std::size_t i = 0; i < devices.size() && !stop_signal.load(); ++i) {
    dirs.push_back(request.reports_dir / devices[i].folder);
    std::vector<std::string> args{"--reports", dirs.back().string()};
    args.insert(args.end(), devices[i].args.begin(), devices[i].args.end());
    args.insert(args.end(), request.run_args.begin(), request.run_args.end());
    for (const auto& id : devices[i].cases) args.insert(args.end(), {"--case", id});
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    pid_t pid = -1;
    bool has_console = false;
    try {
      console[i] = lines.add(devices[i].label, actions);
      has_console = true;
      pid = spawn(request.self, args, env, actions, err);
      lines.started(console[i]);
    } catch (const std::exception& e) {
      err << "fotacheck: " << devices[i].label << ": " << e.what() << "\n";
    }
    posix_spawn_file_actions_destroy(&actions);
    if (pid <= 0) {
      // No child will ever write to these pipes: close them now, not when the run ends.
      if (has_console) lines.ended(console[i]);
      continue;
    }
    children[i].store(pid);
    ++running;
    // A signal that came while this child was being started found no pid to pass it to.
    if (int signal = stop_signal.load()) ::kill(pid, signal);
  }
  err << fmt::format("fotacheck: {} devices running side by side, reports in {}/device-*; each line names its "
                     "device\n",
                     running, request.reports_dir.string());
  while (running > 0) {
    lines.pump(100);
    int status = 0;
    pid_t done = 0;
    while (running > 0 && (done = ::waitpid(-1, &status, WNOHANG)) > 0) {
      for (std::size_t i = 0; i < devices.size(); ++i) {
        if (children[i].load() != done) continue;
        children[i].store(0);
        statuses[i] = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        --running;
        lines.ended(console[i]);
        err << fmt::format("fotacheck: {} finished (exit {})\n", devices[i].label, statuses[i]);
      }
    }
    if (done < 0 && errno != EINTR) break;
  }
  stop_signals.reset();

  std::vector<fs::path> results;
  int worst = kNoMustFailed;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    if (fs::is_regular_file(dirs[i] / reports::kResultsFile)) results.push_back(dirs[i] / reports::kResultsFile);
    if (statuses[i] < 128 && severity(statuses[i]) > severity(worst)) worst = statuses[i];
  }
  if (results.empty()) {
    err << "fotacheck: no device wrote results.json; see the devices' lines above\n";
    return stop_signal.load() ? 128 + stop_signal.load() : kEnvironmentError;
  }
  try {
    auto merged = reports::merge_runs(results);
    reports::write_merged_run(merged, results, request.reports_dir, request.report_url);
    err << "fotacheck: " << reports::conclusion_line(merged) << "\n";
  } catch (const std::exception& e) {
    err << "fotacheck: cannot merge the devices' runs: " << e.what() << "\n";
    return kEnvironmentError;
  }
  auto where = fs::absolute(request.reports_dir).string();
  if (int signal = stop_signal.load()) {
    err << "fotacheck: interrupted; every device wrote what it gathered, merged into " << where << "\n";
    return 128 + signal;
  }
  out << "reports written to " << where << " (results.json, junit.xml, report.html, summary.md, pcap/; "
      << "each device's own in device-*/)\n";
  return worst;
}

}  // namespace fc::runner
