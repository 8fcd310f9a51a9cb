// One shell command a profile names (reset, power_on, inject...): run through /bin/sh, bounded
// by a timeout, its output kept in the case's hooks.log, its exit status checked.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "adapters/waiter.h"
#include "suite/common/clock.h"

namespace fc::adapters {

struct ShellHook {
  std::string name;     // for messages and the log: "reset", "inject.power_loss"
  std::string command;  // placeholders already expanded
  Duration timeout = 30s;
  std::filesystem::path log;  // <workdir>/hooks.log
  std::map<std::string, std::string> environment;  // added to the inherited environment
  std::string shown;    // the command as logs and errors show it (secrets redacted); empty: command
  Waiter waiter;        // how the wait for it is spent (waiter.h)
};

// Runs the hook to its end and returns its output (stdout and stderr). Throws AdapterError
// naming the hook, with the tail of its output, when it exits non-zero, is killed by a signal,
// or overruns its timeout (then its whole process group is killed). What the hook deliberately
// leaves running in the background (`(sleep 2; relay off) &`) is not waited for or killed.
std::string run_shell_hook(const ShellHook& hook);

}  // namespace fc::adapters
