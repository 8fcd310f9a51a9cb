#include "adapters/hooks_adapter.h"

#include <system_error>

#include <fmt/format.h>

#include "adapters/log_file.h"
#include "adapters/shell_hook.h"

namespace fc::adapters {

namespace {

// A serial capture (cat, picocom, socat) ends at once on SIGTERM; no need to wait long.
constexpr Duration log_capture_grace = 1s;

void make_workdir(const std::filesystem::path& workdir) {
  if (workdir.empty()) throw AdapterError("the hooks adapter needs a work directory to start in");
  std::error_code error;
  std::filesystem::create_directories(workdir, error);
  if (error) {
    throw AdapterError(fmt::format("cannot create the work directory {}: {}", workdir.string(), error.message()));
  }
}

}  // namespace

HooksAdapter::HooksAdapter(profile::HooksAdapter config) : config_(std::move(config)) {}

HooksAdapter::~HooksAdapter() { stop(); }

std::filesystem::path HooksAdapter::log_path() const {
  return context_ ? context_->workdir / "device.log" : std::filesystem::path();
}

std::filesystem::path HooksAdapter::hooks_log_path() const {
  return context_ ? context_->workdir / "hooks.log" : std::filesystem::path();
}

bool HooksAdapter::run(const std::string& name, const std::string& command, const StartContext& context,
                       const std::string& where) {
  if (command.empty()) return false;
  const std::string expanded =
      expand_placeholders(command, placeholder_values(context), where.empty() ? "adapter.hooks." + name : where);
  run_shell_hook(ShellHook{
      .name = name,
      .command = expanded,
      .timeout = config_.timeout,
      .log = context.workdir / "hooks.log",
      .environment = {},
      .shown = redact_secrets(expanded, context),
      .waiter = waiter_,
  });
  return true;
}

void HooksAdapter::start_log_capture(const StartContext& context) {
  if (config_.log_start.empty()) return;
  const std::string command =
      expand_placeholders(config_.log_start, placeholder_values(context), "adapter.hooks.log_start");
  append_log(context.workdir / "hooks.log",
             fmt::format("[hook log_start] $ {} (in the background)\n", redact_secrets(command, context)));
  log_capture_ = std::make_unique<ChildProcess>(SpawnRequest{
      .program = "/bin/sh",
      .arguments = {"-c", command},
      .environment = {},
      .output = context.workdir / "device.log",
      .keep_stdin_open = false,
      .end_group_with_child = true,
  });
  log_capture_->set_waiter(waiter_);
}

void HooksAdapter::stop_log_capture() {
  if (!log_capture_) return;
  const bool was_running = log_capture_->running();
  log_capture_->terminate(log_capture_grace);
  append_log(hooks_log_path(), fmt::format("[hook log_start] {}{}\n", was_running ? "stopped: " : "had ended: ",
                                           log_capture_->exit_reason()));
  log_capture_.reset();
}

void HooksAdapter::start(const StartContext& context) {
  stop();
  make_workdir(context.workdir);
  context_ = context;
  started_ = true;
  start_log_capture(context);
  run("flash", config_.flash, context);
  run("power_on", config_.power_on, context);
  run("reset", config_.reset, context);
}

void HooksAdapter::stop() {
  if (!started_) return;
  started_ = false;
  try {
    if (log_capture_ || !config_.log_stop.empty()) run("log_stop", config_.log_stop, *context_);
  } catch (const AdapterError&) {
    // Already in hooks.log; stop() must not throw, and the capture is ended below anyway.
  }
  try {
    stop_log_capture();
  } catch (...) {
  }
}

void HooksAdapter::restart(const StartContext& context) {
  if (!context_ || context.workdir != context_->workdir) {
    start(context);  // nothing to keep: a fresh start
    return;
  }
  context_ = context;
  if (run("reset", config_.reset, context)) return;
  run("power_off", config_.power_off, context);
  run("power_on", config_.power_on, context);
}

bool HooksAdapter::power_cycle(const StartContext& context) {
  if (config_.power_off.empty() || config_.power_on.empty()) return false;
  if (!context_ || context.workdir != context_->workdir) make_workdir(context.workdir);
  context_ = context;
  run("power_off", config_.power_off, context);
  run("power_on", config_.power_on, context);
  return true;
}

bool HooksAdapter::inject(const std::string& fault, const profile::FaultInjection& how) {
  if (how.method != profile::FaultMethod::Hook) return false;
  std::string command = how.hook;
  std::string where = "faults." + fault + ".hook";
  if (command.empty()) {
    auto configured = config_.inject.find(fault);
    if (configured != config_.inject.end()) command = configured->second;
    where = "adapter.hooks.inject." + fault;
  }
  if (command.empty()) return false;
  if (!context_) throw AdapterError("fault " + fault + " injected before the device was started");
  return run("inject." + fault, command, *context_, where);
}

bool HooksAdapter::flash(const StartContext& context) {
  make_workdir(context.workdir);
  return run("flash", config_.flash, context);
}

std::string HooksAdapter::exit_reason() const {
  return "not observable: the hooks adapter cannot see whether the board runs";
}

std::string HooksAdapter::log() const { return context_ ? read_log(log_path()) : std::string(); }

std::string HooksAdapter::describe() const {
  return config_.log_start.empty() ? "hooks (no serial log capture)" : "hooks with serial log capture";
}

}  // namespace fc::adapters
