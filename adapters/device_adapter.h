// How fotacheck drives a device under test: start, stop, restart, power, faults and its log.
// One interface, three ways: a local process, shell hooks for real hardware, or an operator.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/waiter.h"
#include "suite/common/clock.h"
#include "suite/profile/profile.h"

namespace fc::adapters {

// What a device is started for: the values profile templates may use as {placeholders}.
struct StartContext {
  std::string endpoint;          // {endpoint}
  std::string server_uri;        // {server_uri}  e.g. coap://127.0.0.1:40123
  std::uint16_t server_port = 0; // {server_port}
  std::string repository_host;   // {repository_host}
  std::filesystem::path workdir; // {workdir}: fresh per run, kept for the report
  std::string case_name;         // {case}
  std::filesystem::path profile_dir;  // {profile_dir}: the folder of the profile file
  std::string psk_identity;      // {psk_identity}: server.security.psk, resolved at run start; redacted too
  std::string psk_key_hex;       // {psk_key}: a secret; never written to a log (see redact_secrets)
  // Client-initiated bootstrap (profile bootstrap.mode): the bootstrap server and what the
  // device presents there (bootstrap.security.psk); empty otherwise. Redacted like the PSK.
  std::string bootstrap_uri;              // {bootstrap_uri}  e.g. coaps://127.0.0.1:40124
  std::string bootstrap_psk_identity;     // {bootstrap_psk_identity}
  std::string bootstrap_psk_key_hex;      // {bootstrap_psk_key}
  // {install_time}: seconds State 3 lasts (timing.install_time: usual, or long for a case that
  // acts while the device is Updating); empty when the profile gives none.
  std::string install_time;
  // Extra process arguments for this start (a fault injected through `args`).
  std::vector<std::string> extra_args;
};

// `text` with every occurrence of the context's secrets (the PSK keys and identities) replaced by
// <redacted>, for anything that is logged or reported.
std::string redact_secrets(std::string text, const StartContext& context);

// Replaces every {name} in `text` by `values[name]`; an unknown placeholder throws
// AdapterError naming it and the text it appeared in.
std::string expand_placeholders(const std::string& text, const std::map<std::string, std::string>& values);
// The same, naming where the text came from in the message ("args[2]", "hooks.reset").
// `{{` writes a literal `{`; `${NAME}` and braces around anything but a lower-case name are
// left as they are, for the shell (the loader's rule, suite/profile/field_checks.h).
std::string expand_placeholders(const std::string& text, const std::map<std::string, std::string>& values,
                                std::string_view where);
// The context's values, and {suite_bin} (client_binary.h), which is the same for every start.
std::map<std::string, std::string> placeholder_values(const StartContext& context);

// Something the adapter could not do: the message says what and why (exit status, timeout,
// missing binary with what to build or set). The runner turns it into `inconclusive` or exit 2.
class AdapterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DeviceAdapter {
 public:
  virtual ~DeviceAdapter() = default;

  // Starts the device (bounded). Throws AdapterError.
  virtual void start(const StartContext& context) = 0;
  // Stops it (bounded: SIGTERM, then SIGKILL for processes). Never throws.
  virtual void stop() = 0;
  // Stop and start again with the same or a new context.
  virtual void restart(const StartContext& context) {
    stop();
    start(context);
  }
  // Cuts power and restores it; false when this adapter/rig cannot.
  virtual bool power_cycle(const StartContext& context) = 0;
  // Runs a fault injection the profile declares as `hook`; false when not possible here.
  virtual bool inject(const std::string& fault, const profile::FaultInjection& how) = 0;

  // Whether the device is still running; when it is not, `exit_reason()` says why
  // ("exited with status 3", "killed by signal 11").
  virtual bool alive() = 0;
  virtual std::string exit_reason() const = 0;

  // How every wait of the adapter is spent (waiter.h): for a process to end or be ready, for
  // a hook, for the operator. Sleeping unless set.
  void set_waiter(Waiter waiter) { waiter_ = std::move(waiter); }

  // The device log captured so far (stdout+stderr for processes, serial log for hooks).
  virtual std::string log() const = 0;
  // One line for reports: "process ./fotacheck-refclient (pid 4242)".
  virtual std::string describe() const = 0;

 protected:
  Waiter waiter_;
};

// Builds the adapter the profile names. Throws AdapterError when it cannot be used here
// (missing binary, manual adapter without a terminal).
std::unique_ptr<DeviceAdapter> make_adapter(const profile::Profile& profile);

}  // namespace fc::adapters
