#include "adapters/manual_adapter.h"

#include <fmt/format.h>

#include "adapters/log_file.h"

namespace fc::adapters {

namespace {

const std::string default_instructions =
    "Start the device so that it registers with {server_uri} as endpoint {endpoint}.";

}  // namespace

ManualAdapter::ManualAdapter(profile::ManualAdapter config, std::unique_ptr<OperatorConsole> console,
                             Duration confirm_timeout)
    : config_(std::move(config)), console_(std::move(console)), confirm_timeout_(confirm_timeout) {
  if (!console_ || !console_->interactive()) {
    throw AdapterError("the manual adapter needs an operator at a terminal; there is none here. Run fotacheck "
                       "from an interactive terminal, or use adapter.type process or hooks for unattended runs");
  }
}

ManualAdapter::ManualAdapter(profile::ManualAdapter config, std::istream& in, std::ostream& out, bool interactive,
                             Duration confirm_timeout)
    : ManualAdapter(std::move(config), std::make_unique<StreamConsole>(in, out, interactive), confirm_timeout) {}

std::unique_ptr<ManualAdapter> ManualAdapter::on_terminal(profile::ManualAdapter config) {
  return std::make_unique<ManualAdapter>(std::move(config), open_terminal_console());
}

void ManualAdapter::ask(const std::string& step, const std::string& instruction) {
  const std::string case_name = context_ ? context_->case_name : std::string();
  console_->show(fmt::format("\n=== fotacheck{}: {} ===\n{}\nPress Enter when done (waiting up to {}).\n",
                             case_name.empty() ? "" : ", case " + case_name, step, instruction,
                             seconds_text(confirm_timeout_)));
  const auto asked = Clock::now();
  const OperatorAnswer answer = console_->wait_for_enter(confirm_timeout_, waiter_);
  const auto took = std::chrono::duration_cast<Duration>(Clock::now() - asked);
  transcript_ += fmt::format("[+{}] {}: {}\n", seconds_text(std::chrono::duration_cast<Duration>(asked - created_)),
                             step, instruction);
  switch (answer) {
    case OperatorAnswer::Confirmed:
      transcript_ += fmt::format("    confirmed after {}\n", seconds_text(took));
      return;
    case OperatorAnswer::TimedOut:
      transcript_ += "    no answer\n";
      throw AdapterError(fmt::format("no confirmation from the operator within {} for: {}",
                                     seconds_text(confirm_timeout_), step));
    case OperatorAnswer::Closed:
      transcript_ += "    terminal closed\n";
      throw AdapterError("the terminal closed before the operator confirmed: " + step);
  }
}

void ManualAdapter::start(const StartContext& context) {
  context_ = context;
  const std::string& text = config_.instructions.empty() ? default_instructions : config_.instructions;
  ask("start the device", expand_placeholders(text, placeholder_values(context), "adapter.manual.instructions"));
}

void ManualAdapter::stop() {
  if (!context_) return;
  try {
    console_->show(fmt::format("\n=== fotacheck, case {}: finished; the device may be stopped ===\n",
                               context_->case_name));
  } catch (...) {
  }
}

void ManualAdapter::restart(const StartContext& context) {
  context_ = context;
  ask("restart the device",
      expand_placeholders("Restart (reboot) the device now; it should register again with {server_uri}.",
                          placeholder_values(context)));
}

bool ManualAdapter::power_cycle(const StartContext& context) {
  context_ = context;
  ask("power cycle the device", "Cut the device's power, wait a few seconds, then restore it.");
  return true;
}

bool ManualAdapter::inject(const std::string& fault, const profile::FaultInjection& how) {
  if (how.method != profile::FaultMethod::Hook || how.hook.empty()) return false;
  if (!context_) throw AdapterError("fault " + fault + " injected before the device was started");
  ask("fault " + fault, expand_placeholders(how.hook, placeholder_values(*context_), "faults." + fault + ".hook"));
  return true;
}

std::string ManualAdapter::exit_reason() const {
  return "not observable: the manual adapter cannot see whether the device runs";
}

std::string ManualAdapter::describe() const { return "manual (operator at " + console_->describe() + ")"; }

}  // namespace fc::adapters
