// The hooks adapter: hooks run in order with placeholders, their output kept per case, failures
// and overruns reported with the hook's name, and the background serial log capture.
#include <gtest/gtest.h>

#include "adapters/hooks_adapter.h"
#include "adapters/log_file.h"
#include "tests/unit/adapters/counting_waiter.h"
#include "tests/unit/adapters/temp_workdir.h"

namespace fc::adapters {
namespace {

namespace fs = std::filesystem;
using testing::eventually;

class HooksAdapterTest : public ::testing::Test {
 protected:
  StartContext context() const {
    StartContext c;
    c.endpoint = "board-1";
    c.server_uri = "coap://192.0.2.1:5683";
    c.server_port = 5683;
    c.repository_host = "192.0.2.1";
    c.workdir = dir_.path() / "case";
    c.case_name = "Adapters.Hooks";
    return c;
  }
  std::string hooks_log() const { return read_log(dir_.path() / "case" / "hooks.log"); }
  // The lines the hooks themselves printed, in order, without fotacheck's own lines.
  std::string hook_output() const {
    std::string out;
    const std::string log = hooks_log();
    std::size_t at = 0;
    while (at < log.size()) {
      const std::size_t end = log.find('\n', at);
      const std::string line = log.substr(at, end - at);
      if (line.rfind("[hook ", 0) != 0) out += line + "\n";
      if (end == std::string::npos) break;
      at = end + 1;
    }
    return out;
  }
  std::string start_failure(HooksAdapter& adapter) {
    try {
      adapter.start(context());
    } catch (const AdapterError& error) {
      return error.what();
    }
    return "(no error)";
  }

  testing::TempWorkdir dir_;
};

TEST_F(HooksAdapterTest, StartRunsFlashPowerOnAndResetInOrder) {
  profile::HooksAdapter config;
  config.flash = "echo flash";
  config.power_on = "echo power on";
  config.reset = "echo reset {endpoint} to {server_uri}";
  HooksAdapter adapter(config);
  adapter.start(context());
  EXPECT_EQ(hook_output(), "flash\npower on\nreset board-1 to coap://192.0.2.1:5683\n");
  EXPECT_NE(hooks_log().find("[hook reset] $ echo reset board-1 to coap://192.0.2.1:5683\n"), std::string::npos)
      << hooks_log();
  EXPECT_NE(hooks_log().find("[hook reset] exited with status 0 after "), std::string::npos) << hooks_log();
  EXPECT_TRUE(adapter.alive());
  EXPECT_EQ(adapter.exit_reason(), "not observable: the hooks adapter cannot see whether the board runs");
}

// The runner's waiter keeps its server answering while a hook resets the board.
TEST_F(HooksAdapterTest, HooksAndTheLogCaptureWaitThroughTheWaiter) {
  profile::HooksAdapter config;
  // The capture takes 0.2 s to end after its SIGTERM, so stopping it must wait (through the
  // waiter) however fast the signal arrives; `exec sleep 30` could die before the first poll.
  config.log_start = "trap 'sleep 0.2; exit 0' TERM; sleep 30 & wait";
  config.reset = "sleep 0.2";
  HooksAdapter adapter(config);
  testing::CountingWaiter counting;
  adapter.set_waiter(counting.waiter());
  adapter.start(context());
  EXPECT_GE(counting.waited, 100ms) << "the wait for the reset hook did not use the waiter";
  const auto before_stop = counting.waited;
  adapter.stop();
  EXPECT_GT(counting.waited, before_stop) << "the wait for the log capture to end did not use the waiter";
}

TEST_F(HooksAdapterTest, FailingHookIsNamedWithStatusAndOutput) {
  profile::HooksAdapter config;
  config.reset = "echo 'probe not found' >&2; exit 4";
  HooksAdapter adapter(config);
  EXPECT_EQ(start_failure(adapter),
            "hook reset failed (exited with status 4): `echo 'probe not found' >&2; exit 4`; its output ends with:\n"
            "probe not found");
}

TEST_F(HooksAdapterTest, HookOverrunningItsTimeoutIsKilled) {
  profile::HooksAdapter config;
  config.reset = "echo waiting; sleep 30";
  config.timeout = 200ms;
  HooksAdapter adapter(config);
  const auto before = Clock::now();
  EXPECT_EQ(start_failure(adapter),
            "hook reset did not finish within 0.2 s (hooks.timeout) and was killed: `echo waiting; sleep 30`; its "
            "output ends with:\nwaiting");
  EXPECT_LT(Clock::now() - before, 2s);
  EXPECT_NE(hooks_log().find("[hook reset] did not finish within 0.2 s: killed\n"), std::string::npos) << hooks_log();
}

TEST_F(HooksAdapterTest, LogCaptureRunsInTheBackgroundUntilStop) {
  profile::HooksAdapter config;
  config.log_start = "echo 'serial: boot {endpoint}'; exec sleep 30";
  config.log_stop = "echo log stop";
  config.reset = "echo reset";
  HooksAdapter adapter(config);
  adapter.start(context());
  EXPECT_TRUE(eventually([&] { return adapter.log() == "serial: boot board-1\n"; })) << adapter.log();
  const auto before = Clock::now();
  adapter.stop();
  EXPECT_LT(Clock::now() - before, 1s);
  EXPECT_EQ(hook_output(), "reset\nlog stop\n");
  EXPECT_NE(hooks_log().find("[hook log_start] stopped: killed by signal 15 (SIGTERM)\n"), std::string::npos)
      << hooks_log();
  adapter.stop();  // idempotent: log_stop does not run twice
  EXPECT_EQ(hook_output(), "reset\nlog stop\n");
}

TEST_F(HooksAdapterTest, RestartResetsAndPowerCycleNeedsBothHooks) {
  profile::HooksAdapter config;
  config.flash = "echo flash";
  config.reset = "echo reset";
  HooksAdapter without_power(config);
  EXPECT_FALSE(without_power.power_cycle(context()));
  without_power.start(context());
  without_power.restart(context());
  EXPECT_EQ(hook_output(), "flash\nreset\nreset\n");  // restart keeps the flashed build

  config.power_off = "echo off";
  config.power_on = "echo on";
  HooksAdapter with_power(config);
  with_power.start(context());
  EXPECT_TRUE(with_power.power_cycle(context()));
  EXPECT_EQ(hook_output(), "flash\nreset\nreset\nflash\non\nreset\noff\non\n");
}

TEST_F(HooksAdapterTest, InjectRunsTheFaultHook) {
  profile::HooksAdapter config;
  config.reset = "true";
  config.inject = {{"power_loss", "echo cut power of {endpoint}"}};
  HooksAdapter adapter(config);
  adapter.start(context());

  profile::FaultInjection from_profile;  // the loader copies adapter.hooks.inject into `hook`
  from_profile.method = profile::FaultMethod::Hook;
  from_profile.hook = "echo fault hook {case}";
  EXPECT_TRUE(adapter.inject("out_of_ram", from_profile));

  profile::FaultInjection by_name;
  by_name.method = profile::FaultMethod::Hook;
  EXPECT_TRUE(adapter.inject("power_loss", by_name));
  EXPECT_FALSE(adapter.inject("flash_full", by_name));

  profile::FaultInjection package;
  package.method = profile::FaultMethod::Package;
  package.package = "force-error:1";
  EXPECT_FALSE(adapter.inject("power_loss", package));
  EXPECT_EQ(hook_output(), "fault hook Adapters.Hooks\ncut power of board-1\n");
}

}  // namespace
}  // namespace fc::adapters
