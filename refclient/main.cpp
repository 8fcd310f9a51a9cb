// fotacheck-refclient: parses the command line, runs the client, and re-execs itself when the
// client asks for a restart (Reboot, or a firmware Update into the other slot).
#include <signal.h>

#include <cstdio>
#include <exception>

#include <poll.h>

#include "refclient/client/bootstrap_client.h"
#include "refclient/client/client_log.h"
#include "refclient/client/command_line.h"
#include "refclient/client/lwm2m_client.h"
#include "refclient/client/process_restart.h"
#include "refclient/client/signal_pipe.h"
#include "refclient/firmware/variants.h"

int main(int argc, char** argv) {
  using namespace fc::refclient;
  const auto command_line = parse_command_line(argc, argv);
  if (!command_line.options) {
    std::fputs(command_line.message.c_str(), command_line.exit_code == 0 ? stdout : stderr);
    std::fputc('\n', command_line.exit_code == 0 ? stdout : stderr);
    return command_line.exit_code;
  }
  configure_logging(command_line.options->log_level);
  signal(SIGPIPE, SIG_IGN);

  RunOutcome outcome;
  try {
    const int stop_fd = install_stop_signal_pipe();
    ClientOptions options = *command_line.options;
    if (!options.bootstrap_uri.empty()) {
      // A device keeps what it was bootstrapped with: a restart registers at once.
      auto account = load_dm_account(options.firmware.state_dir);
      if (account) client_log().info("DM server {} from an earlier bootstrap", account->server_uri);
      else account = run_bootstrap(options, stop_fd);
      if (!account) {
        client_log().info("stopped during bootstrap; exiting");
        return 0;
      }
      if (options.bootstrap_fault == "no-register") {
        client_log().warn("--bootstrap-fault no-register: not registering with {}", account->server_uri);
        pollfd stop{stop_fd, POLLIN, 0};
        while (!drain_stop_signal_pipe(stop_fd)) poll(&stop, 1, -1);
        return 0;
      }
      use_dm_account(options, *account);
    }
    LwM2MClient client(options);
    outcome = client.run(stop_fd);
    if (outcome.restart) {
      // The client stays alive (no de-registration, no goodbye notifications): a reboot is
      // abrupt, and the next Register tells the server everything it needs.
      const auto& firmware = command_line.options->firmware;
      if (outcome.install && firmware.variants.count(std::string(variant::kExecSelfUpdate))) {
        exec_installed_image(argv, firmware.state_dir);
      } else {
        restart_process(argv);
      }
      return 1;
    }
  } catch (const std::exception& error) {
    client_log().error("{}", error.what());
    std::fprintf(stderr, "fotacheck-refclient: %s\n", error.what());
    return 2;
  }
  client_log().info("exiting");
  return outcome.exit_code;
}
