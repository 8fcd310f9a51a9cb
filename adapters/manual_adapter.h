// The device is operated by a person: fotacheck shows what to do on the terminal and waits for
// the operator to press Enter. Without a terminal it refuses to run.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "adapters/device_adapter.h"
#include "adapters/operator_console.h"

namespace fc::adapters {

// start:       shows adapter.manual.instructions (placeholders filled) and waits for Enter.
// restart:     asks for a reboot; power_cycle asks to cut and restore power (true).
// inject:      a fault of method hook: its `hook` text is shown as the instruction (true).
// stop:        says the case is over; does not wait.
// Every wait is bounded by the confirmation timeout (10 min by default); no answer in time,
// or a closed terminal, is an AdapterError. The device cannot be observed: alive() is true.
// log() is the transcript of what was asked and when it was confirmed.
class ManualAdapter : public DeviceAdapter {
 public:
  static constexpr Duration default_confirm_timeout = std::chrono::minutes(10);

  // Throws AdapterError when the console has no person behind it.
  ManualAdapter(profile::ManualAdapter config, std::unique_ptr<OperatorConsole> console,
                Duration confirm_timeout = default_confirm_timeout);
  // Streams standing in for the terminal (tests); `interactive` false refuses like no terminal.
  ManualAdapter(profile::ManualAdapter config, std::istream& in, std::ostream& out, bool interactive,
                Duration confirm_timeout = default_confirm_timeout);
  // On the controlling terminal; throws AdapterError when there is none.
  static std::unique_ptr<ManualAdapter> on_terminal(profile::ManualAdapter config);

  void start(const StartContext& context) override;
  void stop() override;
  void restart(const StartContext& context) override;
  bool power_cycle(const StartContext& context) override;
  bool inject(const std::string& fault, const profile::FaultInjection& how) override;
  bool alive() override { return true; }
  std::string exit_reason() const override;
  std::string log() const override { return transcript_; }
  std::string describe() const override;

 private:
  // Shows `instruction` for `step` and waits for Enter; throws when none comes.
  void ask(const std::string& step, const std::string& instruction);

  profile::ManualAdapter config_;
  std::unique_ptr<OperatorConsole> console_;
  Duration confirm_timeout_;
  std::optional<StartContext> context_;
  std::string transcript_;
  Clock::time_point created_ = Clock::now();
};

}  // namespace fc::adapters
