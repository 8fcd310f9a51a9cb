#include "runner/all_profiles.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fmt/format.h>
#include <optional>
#include <ostream>

#include "reports/report_set.h"
#include "runner/exit_status.h"
#include "runner/stop_signals.h"

extern char** environ;

namespace fc::runner {

namespace fs = std::filesystem;

namespace {

std::atomic<int> stop_signal{0};

// The runs share the terminal's process group, so Ctrl-C reaches the run in progress directly;
// this process only remembers it, waits for that run to write its reports, and starts no other.
void remember_signal(int signal) { stop_signal.store(signal); }

int run_one(const fs::path& self, const std::vector<std::string>& args, std::ostream& err) {
  std::vector<std::string> argv_text{self.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  if (int error = ::posix_spawn(&child, self.c_str(), nullptr, nullptr, argv.data(), environ); error != 0) {
    err << "fotacheck: cannot start " << self.string() << ": " << std::strerror(error) << "\n";
    return kEnvironmentError;
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0)
    if (errno != EINTR) return kEnvironmentError;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

std::vector<fs::path> reference_client_profiles(const fs::path& folder) {
  std::vector<fs::path> profiles;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    auto name = entry.path().filename().string();
    if (name.starts_with("refclient") && entry.path().extension() == ".yaml") profiles.push_back(entry.path());
  }
  std::sort(profiles.begin(), profiles.end(), [](const fs::path& a, const fs::path& b) {
    bool a_default = a.filename() == "refclient.yaml", b_default = b.filename() == "refclient.yaml";
    return a_default != b_default ? a_default : a.filename() < b.filename();
  });
  return profiles;
}

int run_all_profiles(const AllProfilesRun& request, std::ostream& out, std::ostream& err) {
  if (request.profiles.empty()) {
    err << "fotacheck: --all-profiles found no reference-client profile (refclient*.yaml)\n";
    return kEnvironmentError;
  }
  std::optional<StopSignalsHandled> stop_signals{std::in_place, remember_signal};

  std::vector<fs::path> results;
  std::vector<std::string> lines;
  int worst = kNoMustFailed;
  for (std::size_t i = 0; i < request.profiles.size() && !stop_signal.load(); ++i) {
    const auto& profile = request.profiles[i];
    auto dir = request.reports_dir / profile.stem();
    err << fmt::format("fotacheck: profile {}/{}: {} (reports in {})\n", i + 1, request.profiles.size(),
                       profile.filename().string(), dir.string());
    std::vector<std::string> args{"--profile", profile.string(), "--reports", dir.string()};
    args.insert(args.end(), request.run_args.begin(), request.run_args.end());
    int status = run_one(request.self, args, err);
    lines.push_back(fmt::format("  {:<28} exit {}", profile.filename().string(), status));
    if (status >= 128) {
      stop_signal.store(status - 128);
    } else if (severity(status) > severity(worst)) {
      worst = status;
    }
    if (fs::is_regular_file(dir / reports::kResultsFile)) results.push_back(dir / reports::kResultsFile);
  }
  stop_signals.reset();

  err << "fotacheck: every profile's run (exit statuses as for one run):\n";
  for (const auto& line : lines) err << line << "\n";
  if (results.size() >= 2 && reports::run_report_command(results, request.reports_dir, out, err) != 0)
    worst = kEnvironmentError;
  if (int signal = stop_signal.load()) {
    err << "fotacheck: interrupted: the remaining profiles were not run\n";
    return 128 + signal;
  }
  return worst;
}

}  // namespace fc::runner
