// The device is real hardware driven through shell commands the profile names (reset, power,
// flash, serial log capture, fault injection), each bounded by hooks.timeout and logged per case.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "adapters/child_process.h"
#include "adapters/device_adapter.h"

namespace fc::adapters {

// start:       log_start in the background (its stdout is the device log), then flash, then
//              power_on, then reset, each when set: a known build, powered and freshly booted.
// restart:     reset (or power_off + power_on when there is no reset); the log capture and
//              the flashed build stay, so an update the device applied survives it.
// stop:        log_stop when set, then the log capture is ended. Power stays on: the board
//              idles until the next start resets it.
// power_cycle: power_off then power_on; false when either is not set.
// inject:      a fault of method hook: its command (faults.<f>.hook, which the loader fills
//              from adapter.hooks.inject.<f>); false for other methods.
// A board cannot be watched from outside, so alive() is always true; a dead board shows up
// as one that stops talking to the server.
class HooksAdapter : public DeviceAdapter {
 public:
  explicit HooksAdapter(profile::HooksAdapter config);
  ~HooksAdapter() override;
  HooksAdapter(const HooksAdapter&) = delete;
  HooksAdapter& operator=(const HooksAdapter&) = delete;

  void start(const StartContext& context) override;
  void stop() override;
  void restart(const StartContext& context) override;
  bool power_cycle(const StartContext& context) override;
  bool inject(const std::string& fault, const profile::FaultInjection& how) override;
  bool alive() override { return true; }
  std::string exit_reason() const override;
  std::string log() const override;  // the serial log captured by log_start
  std::string describe() const override;

  // Runs the `flash` hook on its own (e.g. to restore the factory build); false when unset.
  bool flash(const StartContext& context);

  std::filesystem::path log_path() const;        // <workdir>/device.log
  std::filesystem::path hooks_log_path() const;  // <workdir>/hooks.log

 private:
  // Runs one named hook with the placeholders of `context`; false when the command is empty.
  // `where` names the profile key in messages (default adapter.hooks.<name>).
  bool run(const std::string& name, const std::string& command, const StartContext& context,
           const std::string& where = {});
  void start_log_capture(const StartContext& context);
  void stop_log_capture();

  profile::HooksAdapter config_;
  std::optional<StartContext> context_;
  std::unique_ptr<ChildProcess> log_capture_;
  bool started_ = false;
};

}  // namespace fc::adapters
