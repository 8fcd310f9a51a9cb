#include "adapters/process_adapter.h"

#include <regex>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "adapters/client_binary.h"
#include "adapters/log_file.h"
#include "adapters/shell_hook.h"

namespace fc::adapters {

namespace {

constexpr Duration ready_poll = 20ms;

}  // namespace

ProcessAdapter::ProcessAdapter(profile::ProcessAdapter config, std::filesystem::path profile_file,
                               ProcessTimeouts timeouts)
    : config_(std::move(config)), profile_file_(std::move(profile_file)), timeouts_(timeouts) {}

ProcessAdapter::~ProcessAdapter() { stop(); }

void ProcessAdapter::check_binary() const {
  std::string command = config_.command;
  if (command.find('{') != std::string::npos) {
    // {suite_bin} is known before any start; any other placeholder only at start.
    try {
      command = expand_placeholders(command, {{"suite_bin", suite_bin_dir().string()}});
    } catch (const AdapterError&) {
      return;
    }
  }
  find_client_binary(command, profile_file_);
}

std::filesystem::path ProcessAdapter::log_path() const {
  return context_ ? context_->workdir / "device.log" : std::filesystem::path();
}

// Lines of fotacheck's own in the device log, so a reader sees where each start and stop fell.
void ProcessAdapter::note(const std::string& line) const {
  if (context_) append_log(log_path(), "[fotacheck] " + line + "\n");
}

void ProcessAdapter::start(const StartContext& context) {
  stop();
  if (context.workdir.empty()) throw AdapterError("the process adapter needs a work directory to start in");
  std::error_code error;
  std::filesystem::create_directories(context.workdir, error);
  if (error) {
    throw AdapterError(fmt::format("cannot create the work directory {}: {}", context.workdir.string(),
                                   error.message()));
  }

  const auto values = placeholder_values(context);
  const std::string command = expand_placeholders(config_.command, values, "adapter.process.command");
  const std::filesystem::path binary = find_client_binary(command, profile_file_);
  std::vector<std::string> arguments;
  for (std::size_t i = 0; i < config_.args.size(); ++i) {
    arguments.push_back(
        expand_placeholders(config_.args[i], values, fmt::format("adapter.process.args[{}]", i)));
  }
  for (std::size_t i = 0; i < context.extra_args.size(); ++i) {
    arguments.push_back(expand_placeholders(context.extra_args[i], values, fmt::format("fault args[{}]", i)));
  }
  std::map<std::string, std::string> environment;
  for (const auto& [name, value] : config_.env) {
    environment[name] = expand_placeholders(value, values, "adapter.process.env." + name);
  }

  context_ = context;
  binary_ = binary;
  end_noted_ = false;
  note(redact_secrets(fmt::format("case {}: start {} {}", context.case_name, binary.string(), fmt::join(arguments, " ")),
                      context));
  const auto log_offset = log_size(log_path());
  child_ = std::make_unique<ChildProcess>(SpawnRequest{
      .program = binary,
      .arguments = std::move(arguments),
      .environment = std::move(environment),
      .output = log_path(),
      .keep_stdin_open = config_.stdin_mode == profile::StdinMode::KeepOpen,
      .end_group_with_child = true,
  });
  child_->set_waiter(waiter_);
  if (!config_.ready_pattern.empty()) wait_until_ready(log_offset);
}

void ProcessAdapter::wait_until_ready(std::uintmax_t log_offset) {
  std::regex pattern;
  try {
    // Line by line, as one reads a log: ^ and $ match at every line break.
    pattern = std::regex(config_.ready_pattern, std::regex::ECMAScript | std::regex::multiline);
  } catch (const std::regex_error& error) {
    stop();
    throw AdapterError(fmt::format("adapter.process.ready_pattern /{}/ is not a valid regular expression: {}",
                                   config_.ready_pattern, error.what()));
  }
  const Deadline deadline(timeouts_.ready);
  while (true) {
    // Checked before reading, so output written just before an exit still counts.
    const bool ended = !child_->running();
    const std::string output = read_log(log_path(), log_offset);
    if (std::regex_search(output, pattern)) return;
    if (ended) {
      note("client " + child_->exit_reason() + " before it was ready");
      end_noted_ = true;
      throw AdapterError(fmt::format("{} {} before its log matched ready_pattern /{}/; the log ends with:\n{}",
                                     describe(), child_->exit_reason(), config_.ready_pattern,
                                     log_tail(output)));
    }
    if (deadline.passed()) {
      const std::string what = describe();
      stop();
      throw AdapterError(fmt::format("{} printed nothing matching ready_pattern /{}/ within {}, so it was "
                                     "stopped; the log ends with:\n{}",
                                     what, config_.ready_pattern, seconds_text(timeouts_.ready),
                                     log_tail(output)));
    }
    pause(waiter_, std::min(ready_poll, deadline.remaining()));
  }
}

void ProcessAdapter::stop() {
  if (!child_) return;
  try {
    const bool was_running = child_->running();
    child_->terminate(timeouts_.stop_grace);
    if (!end_noted_) {
      note(was_running ? "stopped: client " + child_->exit_reason()
                       : "client had already " + child_->exit_reason());
      end_noted_ = true;
    }
  } catch (...) {
    // Only the log line can fail here; stopping must not.
  }
}

bool ProcessAdapter::power_cycle(const StartContext& context) {
  if (child_ && child_->running()) {
    note("power cut: SIGKILL to the client's process group");
    child_->kill_now();
    note("client " + child_->exit_reason());
    end_noted_ = true;
  }
  start(context);
  return true;
}

bool ProcessAdapter::inject(const std::string& fault, const profile::FaultInjection& how) {
  if (how.method != profile::FaultMethod::Hook || how.hook.empty()) return false;
  if (!context_) throw AdapterError("fault " + fault + " injected before the device was started");
  const std::string command =
      expand_placeholders(how.hook, placeholder_values(*context_), "faults." + fault + ".hook");
  run_shell_hook(ShellHook{
      .name = "inject." + fault,
      .command = command,
      .timeout = timeouts_.hook,
      .log = context_->workdir / "hooks.log",
      .environment = {{"FOTACHECK_DEVICE_PID", std::to_string(pid())}},
      .shown = redact_secrets(command, *context_),
      .waiter = waiter_,
  });
  return true;
}

bool ProcessAdapter::alive() { return child_ && child_->running(); }

std::string ProcessAdapter::exit_reason() const { return child_ ? child_->exit_reason() : "not started"; }

std::string ProcessAdapter::log() const { return context_ ? read_log(log_path()) : std::string(); }

std::string ProcessAdapter::describe() const {
  if (!child_) return "process " + config_.command;
  return fmt::format("process {} (pid {})", binary_.string(), child_->pid());
}

}  // namespace fc::adapters
