// The process adapter with real small processes (/bin/sh scripts): output capture, crash
// detection, stopping what ignores SIGTERM, process groups, exec failures and readiness.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>

#include "adapters/log_file.h"
#include "adapters/process_adapter.h"
#include "tests/unit/adapters/counting_waiter.h"
#include "tests/unit/adapters/temp_workdir.h"

namespace fc::adapters {
namespace {

namespace fs = std::filesystem;
using testing::eventually;

profile::ProcessAdapter shell_script(const std::string& script) {
  profile::ProcessAdapter config;
  config.command = "/bin/sh";
  config.args = {"-c", script};
  return config;
}

class ProcessAdapterTest : public ::testing::Test {
 protected:
  StartContext context() const {
    StartContext c;
    c.endpoint = "dev-1";
    c.server_uri = "coap://127.0.0.1:5683";
    c.server_port = 5683;
    c.repository_host = "127.0.0.1";
    c.workdir = dir_.path() / "case";
    c.case_name = "Adapters.Process";
    return c;
  }
  fs::path workdir() const { return dir_.path() / "case"; }

  std::string start_failure(ProcessAdapter& adapter) {
    try {
      adapter.start(context());
    } catch (const AdapterError& error) {
      return error.what();
    }
    return "(no error)";
  }

  testing::TempWorkdir dir_;
};

// Whether `pid` is gone (or only a zombie waiting for a reaper that is not this test).
bool process_gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

TEST_F(ProcessAdapterTest, CapturesStdoutAndStderrInTheDeviceLog) {
  ProcessAdapter adapter(shell_script("echo \"hello $1 from $FC_DIR\"; echo oops >&2; exec sleep 30"));
  adapter.start(context());
  EXPECT_TRUE(adapter.alive());
  EXPECT_EQ(adapter.log_path(), workdir() / "device.log");
  EXPECT_TRUE(eventually([&] { return adapter.log().find("oops\n") != std::string::npos; }));
  adapter.stop();
  const std::string log = adapter.log();
  EXPECT_NE(log.find("hello  from \n"), std::string::npos) << log;  // no args, no env given
  EXPECT_NE(log.find("[fotacheck] case Adapters.Process: start /bin/sh -c "), std::string::npos) << log;
  EXPECT_NE(log.find("[fotacheck] stopped: client killed by signal 15 (SIGTERM)\n"), std::string::npos) << log;
  EXPECT_FALSE(adapter.alive());
  EXPECT_EQ(adapter.exit_reason(), "killed by signal 15 (SIGTERM)");
}

TEST_F(ProcessAdapterTest, ArgumentsEnvironmentAndExtraArgsAreTemplated) {
  profile::ProcessAdapter config = shell_script("echo \"args=$* dir=$FC_DIR home=${HOME:+set}\"");
  config.args.insert(config.args.end(), {"script", "{endpoint}", "{server_port}", "--uri={server_uri}"});
  config.env = {{"FC_DIR", "{workdir}/state"}};
  ProcessAdapter adapter(config);
  StartContext c = context();
  c.extra_args = {"--flash-size", "16384", "{case}"};
  adapter.start(c);
  ASSERT_TRUE(eventually([&] { return !adapter.alive(); }));
  EXPECT_EQ(adapter.exit_reason(), "exited with status 0");
  const std::string expected = "args=dev-1 5683 --uri=coap://127.0.0.1:5683 --flash-size 16384 Adapters.Process dir=" +
                               (workdir() / "state").string() + " home=set\n";
  EXPECT_NE(adapter.log().find(expected), std::string::npos) << adapter.log();
}

// The PSK reaches the client (here by environment) but neither its key nor its identity the
// adapter's own log lines.
TEST_F(ProcessAdapterTest, ThePskKeyReachesTheClientButNotTheLog) {
  profile::ProcessAdapter config = shell_script("test \"$FC_KEY\" = 00112233aabb && echo key-arrived");
  config.args.insert(config.args.end(), {"script", "--psk-identity", "{psk_identity}", "--psk-key", "{psk_key}"});
  config.env = {{"FC_KEY", "{psk_key}"}};
  ProcessAdapter adapter(config);
  StartContext c = context();
  c.psk_identity = "dev-1-identity";
  c.psk_key_hex = "00112233aabb";
  adapter.start(c);
  ASSERT_TRUE(eventually([&] { return !adapter.alive(); }));
  const std::string log = adapter.log();
  EXPECT_NE(log.find("key-arrived\n"), std::string::npos) << log;
  EXPECT_NE(log.find("--psk-identity <redacted> --psk-key <redacted>"), std::string::npos) << log;
  EXPECT_EQ(log.find("00112233aabb"), std::string::npos) << log;
  EXPECT_EQ(log.find("dev-1-identity"), std::string::npos) << log;
}

TEST_F(ProcessAdapterTest, UnknownPlaceholderFailsTheStart) {
  profile::ProcessAdapter config = shell_script("true");
  config.args.push_back("{run}");
  ProcessAdapter adapter(config);
  EXPECT_EQ(start_failure(adapter),
            "unknown placeholder {run} in 'adapter.process.args[2]: {run}'; known: {bootstrap_psk_identity}, "
            "{bootstrap_psk_key}, {bootstrap_uri}, {case}, {endpoint}, {install_time}, "
            "{profile_dir}, {psk_identity}, {psk_key}, {repository_host}, {server_port}, {server_uri}, {suite_bin}, "
            "{workdir}");
  EXPECT_EQ(adapter.exit_reason(), "not started");
}

TEST_F(ProcessAdapterTest, DetectsAnExitWithItsStatus) {
  ProcessAdapter adapter(shell_script("echo bye; exit 3"));
  adapter.start(context());
  ASSERT_TRUE(eventually([&] { return !adapter.alive(); }));
  EXPECT_EQ(adapter.exit_reason(), "exited with status 3");
}

TEST_F(ProcessAdapterTest, DetectsACrashBySignal) {
  ProcessAdapter adapter(shell_script("kill -SEGV $$"));
  adapter.start(context());
  ASSERT_TRUE(eventually([&] { return !adapter.alive(); }));
  EXPECT_EQ(adapter.exit_reason(), "killed by signal 11 (SIGSEGV)");
  adapter.stop();
  EXPECT_NE(adapter.log().find("[fotacheck] client had already killed by signal 11 (SIGSEGV)\n"), std::string::npos)
      << adapter.log();
}

TEST_F(ProcessAdapterTest, StopKillsAProcessThatIgnoresSigterm) {
  profile::ProcessAdapter config = shell_script("trap '' TERM; echo ready; sleep 30");
  config.ready_pattern = "^ready$";
  ProcessAdapter adapter(config);
  adapter.start(context());
  ASSERT_TRUE(adapter.alive());
  const auto before = Clock::now();
  adapter.stop();
  const auto took = Clock::now() - before;
  EXPECT_FALSE(adapter.alive());
  EXPECT_EQ(adapter.exit_reason(), "killed by signal 9 (SIGKILL)");
  EXPECT_GE(took, 2900ms);
  EXPECT_LT(took, 4500ms);
}

TEST_F(ProcessAdapterTest, StopKillsTheWholeProcessGroup) {
  // The grandchild ignores SIGTERM and outlives the shell that started it.
  profile::ProcessAdapter config = shell_script(
      "(trap '' TERM; exec sleep 30) & echo $! > \"$0\"; echo ready; wait");
  config.args.push_back("{workdir}/grandchild.pid");
  config.ready_pattern = "ready";
  ProcessAdapter adapter(config);
  adapter.start(context());
  pid_t grandchild = 0;
  std::ifstream(workdir() / "grandchild.pid") >> grandchild;
  ASSERT_GT(grandchild, 0);
  ASSERT_FALSE(process_gone(grandchild));
  const pid_t child = adapter.pid();
  const auto before = Clock::now();
  adapter.stop();
  EXPECT_LT(Clock::now() - before, 2s);  // the shell ends on SIGTERM; the rest gets SIGKILL
  EXPECT_TRUE(process_gone(child));
  EXPECT_TRUE(eventually([&] { return process_gone(grandchild); }, 2s));
}

// However the runner ends (here SIGKILL: no destructor, no stop()), its device ends with it,
// and so does what the device started (a client behind a shell wrapper): a board-like client
// must not go on retrying Register for minutes with nobody judging it.
TEST_F(ProcessAdapterTest, TheDeviceDiesWithTheProcessThatStartedIt) {
  int ends[2];
  ASSERT_EQ(::pipe(ends), 0);
  const pid_t runner = ::fork();
  ASSERT_GE(runner, 0);
  if (runner == 0) {  // the runner: starts the device, reports its PID, then waits to be killed
    ::close(ends[0]);
    try {
      profile::ProcessAdapter config = shell_script("sleep 30 & echo $! > \"$0\"; echo ready; wait");
      config.args.push_back("{workdir}/grandchild.pid");
      config.ready_pattern = "ready";
      ProcessAdapter adapter(config);
      adapter.start(context());
      const pid_t device = adapter.pid();
      if (::write(ends[1], &device, sizeof device) != static_cast<ssize_t>(sizeof device)) ::_exit(1);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(1);
    }
  }
  ::close(ends[1]);
  pid_t device = 0;
  const auto got = ::read(ends[0], &device, sizeof device);  // EOF if the runner failed
  ::close(ends[0]);
  pid_t grandchild = 0;
  std::ifstream(workdir() / "grandchild.pid") >> grandchild;
  ::kill(runner, SIGKILL);
  ::waitpid(runner, nullptr, 0);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof device)) << "the runner could not start the device";
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(eventually([&] { return process_gone(device); }, 3s)) << "device " << device << " outlived its runner";
  EXPECT_TRUE(eventually([&] { return process_gone(grandchild); }, 3s))
      << "the device's child " << grandchild << " outlived the runner";
  for (pid_t pid : {device, grandchild})
    if (pid > 0 && !process_gone(pid)) ::kill(pid, SIGKILL);
}

TEST_F(ProcessAdapterTest, StopIsIdempotentAndTheDestructorStops) {
  pid_t pid = 0;
  {
    ProcessAdapter adapter(shell_script("exec sleep 30"));
    adapter.start(context());
    pid = adapter.pid();
    ASSERT_GT(pid, 0);
  }
  EXPECT_TRUE(process_gone(pid));
  ProcessAdapter adapter(shell_script("exec sleep 30"));
  adapter.stop();  // before any start
  adapter.start(context());
  adapter.stop();
  adapter.stop();
  EXPECT_EQ(adapter.exit_reason(), "killed by signal 15 (SIGTERM)");
}

TEST_F(ProcessAdapterTest, MissingBinarySaysWhatToBuild) {
  profile::ProcessAdapter config;
  config.command = (dir_.path() / "build/refclient/fotacheck-refclient").string();
  ProcessAdapter adapter(config, "/repo/adapters/profiles/refclient.yaml");
  const std::string expected = "the device client " + config.command +
                               " does not exist (adapter.process.command in /repo/adapters/profiles/refclient.yaml); "
                               "build it with `cmake --build build --target fotacheck-refclient`";
  try {
    adapter.check_binary();
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()), expected);
  }
  EXPECT_EQ(start_failure(adapter), expected);
}

TEST_F(ProcessAdapterTest, ExecFailureIsReportedByStart) {
  // Executable, but not a program the kernel can run: execve fails with ENOEXEC.
  const fs::path binary = dir_.path() / "not-a-program";
  std::ofstream(binary) << "just text, no #! line\n";
  fs::permissions(binary, fs::perms::owner_all);
  profile::ProcessAdapter config;
  config.command = binary.string();
  ProcessAdapter adapter(config);
  EXPECT_EQ(start_failure(adapter), "cannot execute " + binary.string() + ": Exec format error");
  EXPECT_FALSE(adapter.alive());
}

TEST_F(ProcessAdapterTest, ReadyPatternMakesStartWaitForIt) {
  profile::ProcessAdapter config = shell_script("echo booting; sleep 0.3; echo 'client ready on port 1'; exec sleep 30");
  config.ready_pattern = "ready on port [0-9]+";
  ProcessAdapter adapter(config);
  adapter.start(context());
  EXPECT_TRUE(adapter.alive());
  EXPECT_NE(adapter.log().find("client ready on port 1\n"), std::string::npos);
}

TEST_F(ProcessAdapterTest, ExitBeforeReadyIsAnErrorWithTheLogTail) {
  profile::ProcessAdapter config = shell_script("echo 'config error: bad key' >&2; exit 2");
  config.ready_pattern = "ready";
  ProcessAdapter adapter(config);
  const std::string message = start_failure(adapter);
  const std::string prefix = "process /bin/sh (pid ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  const std::string suffix =
      ") exited with status 2 before its log matched ready_pattern /ready/; the log ends with:\nconfig error: bad key";
  ASSERT_GE(message.size(), suffix.size());
  EXPECT_EQ(message.substr(message.size() - suffix.size()), suffix) << message;
}

TEST_F(ProcessAdapterTest, ReadyTimeoutStopsTheClient) {
  profile::ProcessAdapter config = shell_script("echo starting; exec sleep 30");
  config.ready_pattern = "ready";
  ProcessAdapter adapter(config, {}, ProcessTimeouts{.ready = 300ms, .stop_grace = 3s, .hook = 30s});
  const std::string message = start_failure(adapter);
  EXPECT_NE(message.find(" printed nothing matching ready_pattern /ready/ within 0.3 s, so it was stopped; the log "
                         "ends with:\nstarting"),
            std::string::npos)
      << message;
  EXPECT_FALSE(adapter.alive());
}

// The runner's waiter pumps its event loop: every wait on the device must go through it, or
// the server goes deaf while the device shuts down (its De-register then times out).
TEST_F(ProcessAdapterTest, WaitsForReadinessAndShutdownGoThroughTheWaiter) {
  profile::ProcessAdapter config = shell_script("trap 'sleep 0.2; exit 0' TERM; sleep 0.2; echo ready; "
                                                "while :; do sleep 0.05; done");
  config.ready_pattern = "^ready$";
  ProcessAdapter adapter(config);
  testing::CountingWaiter counting;
  adapter.set_waiter(counting.waiter());
  adapter.start(context());
  const auto while_starting = counting.waited;
  EXPECT_GE(while_starting, 100ms) << "the wait for the ready line did not use the waiter";
  adapter.stop();
  EXPECT_GE(counting.waited - while_starting, 100ms) << "the wait for the exit after SIGTERM did not use the waiter";
  EXPECT_EQ(adapter.exit_reason(), "exited with status 0");
}

TEST_F(ProcessAdapterTest, KeepOpenStdinKeepsACatAlive) {
  profile::ProcessAdapter config = shell_script("cat; echo 'stdin ended'");
  config.stdin_mode = profile::StdinMode::KeepOpen;
  ProcessAdapter open_stdin(config);
  open_stdin.start(context());
  std::this_thread::sleep_for(300ms);
  EXPECT_TRUE(open_stdin.alive());
  open_stdin.stop();

  config.stdin_mode = profile::StdinMode::Closed;
  ProcessAdapter closed_stdin(config);
  closed_stdin.start(context());
  ASSERT_TRUE(eventually([&] { return !closed_stdin.alive(); }));
  EXPECT_EQ(closed_stdin.exit_reason(), "exited with status 0");
  EXPECT_NE(closed_stdin.log().find("stdin ended\n"), std::string::npos);
}

TEST_F(ProcessAdapterTest, RestartAppendsToTheSameLog) {
  ProcessAdapter adapter(shell_script("echo \"run $$\"; exec sleep 30"));
  adapter.start(context());
  const pid_t first = adapter.pid();
  ASSERT_TRUE(eventually([&] { return adapter.log().find("run " + std::to_string(first)) != std::string::npos; }));
  adapter.restart(context());
  const pid_t second = adapter.pid();
  EXPECT_NE(first, second);
  ASSERT_TRUE(eventually([&] { return adapter.log().find("run " + std::to_string(second)) != std::string::npos; }));
  EXPECT_NE(adapter.log().find("run " + std::to_string(first) + "\n[fotacheck] stopped: client killed by signal 15 "
                               "(SIGTERM)\n[fotacheck] case Adapters.Process: start /bin/sh -c "),
            std::string::npos)
      << adapter.log();
  EXPECT_EQ(adapter.describe(), "process /bin/sh (pid " + std::to_string(second) + ")");
}

TEST_F(ProcessAdapterTest, PowerCycleKillsAtOnceAndStartsAgain) {
  ProcessAdapter adapter(shell_script("echo up; exec sleep 30"));
  adapter.start(context());
  const pid_t first = adapter.pid();
  const auto before = Clock::now();
  EXPECT_TRUE(adapter.power_cycle(context()));
  EXPECT_LT(Clock::now() - before, 1s);
  EXPECT_TRUE(adapter.alive());
  EXPECT_NE(adapter.pid(), first);
  // No SIGTERM first: a power cut gives the client no chance to save anything.
  EXPECT_NE(adapter.log().find("[fotacheck] client killed by signal 9 (SIGKILL)\n"), std::string::npos)
      << adapter.log();
}

TEST_F(ProcessAdapterTest, HookFaultRunsWithTheClientPid) {
  ProcessAdapter adapter(shell_script("trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.05; done"));
  adapter.start(context());
  ASSERT_TRUE(eventually([&] { return adapter.log().find("ready\n") != std::string::npos; }));
  profile::FaultInjection how;
  how.method = profile::FaultMethod::Hook;
  how.hook = "kill -USR1 $FOTACHECK_DEVICE_PID && echo sent to {endpoint}";
  EXPECT_TRUE(adapter.inject("out_of_ram", how));
  EXPECT_TRUE(eventually([&] { return adapter.log().find("got USR1\n") != std::string::npos; }));
  const std::string hooks_log = read_log(workdir() / "hooks.log");
  EXPECT_NE(hooks_log.find("sent to dev-1\n"), std::string::npos) << hooks_log;

  profile::FaultInjection args;
  args.method = profile::FaultMethod::Args;
  args.args = {"--flash-size", "1"};
  EXPECT_FALSE(adapter.inject("flash_full", args));
}

}  // namespace
}  // namespace fc::adapters
