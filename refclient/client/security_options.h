// The command-line options for DTLS/TLS: the server's credentials (--psk-identity, --psk-key,
// --psk-key-env, --certificate, --private-key, --ca, --rpk-private-key, --server-public-key)
// and the firmware repository's (the same names with --fw-).
#pragma once

#include "refclient/client/client_options.h"
#include "refclient/security/credential_options.h"

namespace CLI {
class App;
}

namespace fc::refclient {

struct SecurityArguments {
  SecurityArguments() { repository.option_prefix = "--fw-"; }
  CredentialArguments server;
  CredentialArguments repository;
};

void add_security_options(CLI::App& app, SecurityArguments& arguments);

// Loads both credential sets into `options` and checks them against the --server scheme:
// coaps and coaps+tcp need credentials, coap and coap+tcp take none. Throws
// std::invalid_argument naming the option at fault.
void apply_security_options(const SecurityArguments& arguments, ClientOptions& options);

}  // namespace fc::refclient
