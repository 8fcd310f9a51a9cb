// The manual adapter: what the operator is told, waiting for Enter, and refusing to run
// without a terminal.
#include <gtest/gtest.h>

#include <unistd.h>

#include <sstream>

#include "adapters/manual_adapter.h"
#include "adapters/operator_console.h"
#include "tests/unit/adapters/counting_waiter.h"

namespace fc::adapters {
namespace {

StartContext sample_context() {
  StartContext context;
  context.endpoint = "dev-9";
  context.server_uri = "coap://192.0.2.1:5683";
  context.server_port = 5683;
  context.workdir = "/tmp/unused";
  context.case_name = "Pull.Basic";
  return context;
}

TEST(ManualAdapter, ShowsTheInstructionsWithPlaceholdersAndWaitsForEnter) {
  profile::ManualAdapter config;
  config.instructions = "Point {endpoint} at {server_uri} and power it on.";
  std::istringstream in("\n");
  std::ostringstream out;
  ManualAdapter adapter(config, in, out, true);
  adapter.start(sample_context());
  EXPECT_EQ(out.str(),
            "\n=== fotacheck, case Pull.Basic: start the device ===\n"
            "Point dev-9 at coap://192.0.2.1:5683 and power it on.\n"
            "Press Enter when done (waiting up to 600 s).\n");
  EXPECT_TRUE(in.eof() || in.peek() == std::char_traits<char>::eof());
  const std::string transcript = adapter.log();
  EXPECT_NE(transcript.find("start the device: Point dev-9 at coap://192.0.2.1:5683 and power it on.\n"),
            std::string::npos)
      << transcript;
  EXPECT_NE(transcript.find("    confirmed after "), std::string::npos) << transcript;
}

TEST(ManualAdapter, DefaultInstructionsNameServerAndEndpoint) {
  std::istringstream in("\n\n");
  std::ostringstream out;
  ManualAdapter adapter(profile::ManualAdapter{}, in, out, true);
  adapter.start(sample_context());
  EXPECT_NE(out.str().find("Start the device so that it registers with coap://192.0.2.1:5683 as endpoint dev-9.\n"),
            std::string::npos)
      << out.str();
  EXPECT_TRUE(adapter.power_cycle(sample_context()));
  EXPECT_NE(out.str().find("=== fotacheck, case Pull.Basic: power cycle the device ===\n"), std::string::npos)
      << out.str();
}

TEST(ManualAdapter, RefusesWithoutATerminal) {
  std::istringstream in;
  std::ostringstream out;
  try {
    ManualAdapter adapter(profile::ManualAdapter{}, in, out, false);
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()),
              "the manual adapter needs an operator at a terminal; there is none here. Run fotacheck from an "
              "interactive terminal, or use adapter.type process or hooks for unattended runs");
  }
  EXPECT_EQ(out.str(), "");
}

TEST(ManualAdapter, ClosedInputIsAnError) {
  std::istringstream in("");
  std::ostringstream out;
  ManualAdapter adapter(profile::ManualAdapter{}, in, out, true);
  try {
    adapter.start(sample_context());
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()), "the terminal closed before the operator confirmed: start the device");
  }
}

// While the operator works on the board, the runner's waiter keeps its server answering the
// device; the console looks for Enter between the waiter's slices.
TEST(TerminalConsole, WaitsForEnterThroughTheWaiter) {
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  auto console = terminal_console(pipe_ends[0]);

  testing::CountingWaiter counting;
  EXPECT_EQ(console->wait_for_enter(200ms, counting.waiter()), OperatorAnswer::TimedOut);
  EXPECT_GE(counting.waited, 150ms) << "the wait for the operator did not use the waiter";

  int slices = 0;
  const Waiter operator_presses_enter = [&](Duration) {
    if (++slices == 3) {
      ASSERT_EQ(::write(pipe_ends[1], "\n", 1), 1);
    }
  };
  EXPECT_EQ(console->wait_for_enter(5s, operator_presses_enter), OperatorAnswer::Confirmed);
  EXPECT_EQ(slices, 3);
  ::close(pipe_ends[1]);
}

TEST(ManualAdapter, HookFaultIsAnInstruction) {
  std::istringstream in("\n\n");
  std::ostringstream out;
  ManualAdapter adapter(profile::ManualAdapter{}, in, out, true);
  adapter.start(sample_context());
  profile::FaultInjection how;
  how.method = profile::FaultMethod::Hook;
  how.hook = "Pull the plug of {endpoint} now.";
  EXPECT_TRUE(adapter.inject("power_loss", how));
  EXPECT_NE(out.str().find("=== fotacheck, case Pull.Basic: fault power_loss ===\nPull the plug of dev-9 now.\n"),
            std::string::npos)
      << out.str();
  how.method = profile::FaultMethod::Unsupported;
  EXPECT_FALSE(adapter.inject("power_loss", how));
}

}  // namespace
}  // namespace fc::adapters
