// The command-line options for DTLS/TLS: the server's credentials (--psk-identity, --psk-key,
// --psk-key-env, --certificate, --private-key, --ca, --rpk-private-key, --server-public-key)
// the firmware repository's (the same names with --fw-) and the bootstrap server's (--bootstrap-).
#pragma once

#include "refclient/client/client_options.h"
#include "refclient/security/credential_options.h"

namespace CLI {
class App;
}

namespace fc::refclient {

struct SecurityArguments {
  SecurityArguments() {
    repository.option_prefix = "--fw-";
    bootstrap.option_prefix = "--bootstrap-";
  }
  CredentialArguments server;
  CredentialArguments repository;
  CredentialArguments bootstrap;
};

void add_security_options(CLI::App& app, SecurityArguments& arguments);

// Loads the credential sets into `options` and checks them against the --server and --bootstrap
// schemes: coaps and coaps+tcp need credentials, coap and coap+tcp take none. With --bootstrap
// and no --server the server's credentials are optional (the bootstrap server writes them). Throws
// std::invalid_argument naming the option at fault.
void apply_security_options(const SecurityArguments& arguments, ClientOptions& options);

}  // namespace fc::refclient
