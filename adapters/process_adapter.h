// The device is a client binary on this machine: started per case with arguments templated
// from the profile, its stdout and stderr kept in <workdir>/device.log, watched for an
// unexpected exit, and stopped with its whole process group (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "adapters/child_process.h"
#include "adapters/device_adapter.h"

namespace fc::adapters {

struct ProcessTimeouts {
  Duration ready = 10s;  // start() waiting for ready_pattern
  Duration stop_grace = ChildProcess::default_grace;  // after SIGTERM, before SIGKILL
  Duration hook = 30s;   // a fault injected with method hook
};

class ProcessAdapter : public DeviceAdapter {
 public:
  // `profile_file` only names the profile in messages.
  explicit ProcessAdapter(profile::ProcessAdapter config, std::filesystem::path profile_file = {},
                          ProcessTimeouts timeouts = {});
  ~ProcessAdapter() override;
  ProcessAdapter(const ProcessAdapter&) = delete;
  ProcessAdapter& operator=(const ProcessAdapter&) = delete;

  // Fails early (before any case) when the command names no executable. A command with
  // placeholders can only be checked at start.
  void check_binary() const;

  // Stops a previous instance, then runs the command with the expanded arguments followed by
  // the context's extra_args. With a ready_pattern, returns once the new output matches it.
  void start(const StartContext& context) override;
  void stop() override;
  // A power cut: SIGKILL to the group (no chance to save anything), then start again.
  bool power_cycle(const StartContext& context) override;
  // Runs a fault of method `hook` as a shell command (placeholders of the last start, the
  // client's PID in $FOTACHECK_DEVICE_PID). Method `args` is applied at start through
  // StartContext::extra_args instead, so it returns false here, as for every other method.
  bool inject(const std::string& fault, const profile::FaultInjection& how) override;
  bool alive() override;
  std::string exit_reason() const override;
  std::string log() const override;
  std::string describe() const override;

  // The log of the current (or last) start; empty before the first.
  std::filesystem::path log_path() const;
  // The client's PID, or -1 before the first start.
  pid_t pid() const { return child_ ? child_->pid() : -1; }

 private:
  void wait_until_ready(std::uintmax_t log_offset);
  void note(const std::string& line) const;

  profile::ProcessAdapter config_;
  std::filesystem::path profile_file_;
  ProcessTimeouts timeouts_;
  std::optional<StartContext> context_;
  std::filesystem::path binary_;
  std::unique_ptr<ChildProcess> child_;
  bool end_noted_ = false;
};

}  // namespace fc::adapters
