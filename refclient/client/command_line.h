// The fotacheck-refclient command line: CLI11 definitions, --help text (every fault switch with
// the Update Result it leads to, every mutant), and the checks that end in exit status 2.
#pragma once

#include <optional>
#include <string>

#include "refclient/client/client_options.h"

namespace fc::refclient {

struct CommandLine {
  std::optional<ClientOptions> options;  // set when the client should run
  int exit_code = 0;                     // otherwise: 0 after --help, 2 for a bad command line
  std::string message;                   // help text (stdout) or the error (stderr)
};

// Never throws. Creates the state directory when it does not exist yet.
CommandLine parse_command_line(int argc, const char* const* argv);

// "coap://127.0.0.1:5683", "coaps://[::1]:5684", "coap+tcp://localhost" (port 5683), "coaps+tcp://h"
// (port 5684). Throws std::invalid_argument naming what is wrong, e.g. an unknown scheme.
ServerAddress parse_server_uri(const std::string& uri);

}  // namespace fc::refclient
