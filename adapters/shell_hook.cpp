#include "adapters/shell_hook.h"

#include <sys/wait.h>

#include <fmt/format.h>

#include "adapters/child_process.h"
#include "adapters/device_adapter.h"
#include "adapters/log_file.h"

namespace fc::adapters {

namespace {

// A hook that overran its timeout gets this long to end after SIGTERM.
constexpr Duration overrun_grace = 1s;

std::string output_part(const std::string& output) {
  const std::string tail = log_tail(output);
  return tail.empty() ? "; it printed nothing" : "; its output ends with:\n" + tail;
}

}  // namespace

std::string run_shell_hook(const ShellHook& hook) {
  const std::string& shown = hook.shown.empty() ? hook.command : hook.shown;
  append_log(hook.log, fmt::format("[hook {}] $ {}\n", hook.name, shown));
  const auto offset = log_size(hook.log);
  const auto started = Clock::now();

  ChildProcess child(SpawnRequest{
      .program = "/bin/sh",
      .arguments = {"-c", hook.command},
      .environment = hook.environment,
      .output = hook.log,
      .keep_stdin_open = false,
      .end_group_with_child = false,
  });
  child.set_waiter(hook.waiter);
  if (!child.wait_for_exit(hook.timeout)) {
    child.terminate(overrun_grace);
    const std::string output = read_log(hook.log, offset);
    append_log(hook.log, fmt::format("[hook {}] did not finish within {}: killed\n", hook.name,
                                     seconds_text(hook.timeout)));
    throw AdapterError(fmt::format("hook {} did not finish within {} (hooks.timeout) and was killed: "
                                   "`{}`{}",
                                   hook.name, seconds_text(hook.timeout), shown,
                                   output_part(output)));
  }
  const std::string output = read_log(hook.log, offset);
  const int status = child.wait_status().value_or(0);
  const auto took = std::chrono::duration_cast<Duration>(Clock::now() - started);
  append_log(hook.log, fmt::format("[hook {}] {} after {}\n", hook.name, describe_wait_status(status),
                                   seconds_text(took)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw AdapterError(fmt::format("hook {} failed ({}): `{}`{}", hook.name,
                                   describe_wait_status(status), shown, output_part(output)));
  }
  return output;
}

}  // namespace fc::adapters
