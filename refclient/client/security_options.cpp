#include "refclient/client/security_options.h"

#include <fmt/format.h>

#include <stdexcept>

// GCC 12 at -O2 reports a "potential null pointer dereference" inside CLI11's inlined
// detail::split (std::vector<std::string> growth): a false positive in library code.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>

namespace fc::refclient {

namespace {

void add_side(CLI::App& app, CredentialArguments& side, const char* peer, const char* uses,
              const char* certificate_uses) {
  const auto& p = side.option_prefix;
  const std::string group = fmt::format("{} security", peer);
  app.add_option(p + "psk-identity", side.psk_identity,
                 fmt::format("PSK identity for {} (up to {} bytes)", uses, kMaxPskIdentity))
      ->group(group);
  app.add_option(
         p + "psk-key", side.psk_key_hex,
         fmt::format("PSK in hex (1..{} bytes); never logged. Visible in the process list: prefer {}psk-key-env",
                     kMaxPskKey, p))
      ->group(group);
  app.add_option(p + "psk-key-env", side.psk_key_env, "Name of an environment variable holding the PSK in hex")
      ->group(group);
  app.add_option(p + "certificate", side.certificate,
                 fmt::format("X.509 client certificate (PEM) for {}", certificate_uses))
      ->group(group);
  app.add_option(p + "private-key", side.private_key, fmt::format("Private key (PEM) of {}certificate", p))
      ->group(group);
  app.add_option(p + "ca", side.ca, fmt::format("CA certificate (PEM) the {}'s certificate must chain to", peer))
      ->group(group);
  app.add_option(p + "rpk-private-key", side.rpk_private_key,
                 fmt::format("Raw public key pair for {}: SEC1 PEM (EC PRIVATE KEY), holding both halves", uses))
      ->group(group);
  app.add_option(
         p + "server-public-key", side.server_public_key,
         fmt::format("Pin the {}'s raw public key (PEM SubjectPublicKeyInfo); any other key refuses the handshake",
                     peer))
      ->group(group);
}

// The first credential option given, for an error that says which one is out of place.
std::string first_given(const CredentialArguments& side) {
  const auto& p = side.option_prefix;
  if (!side.psk_identity.empty()) return p + "psk-identity";
  if (!side.psk_key_hex.empty()) return p + "psk-key";
  if (!side.psk_key_env.empty()) return p + "psk-key-env";
  if (!side.certificate.empty()) return p + "certificate";
  if (!side.private_key.empty()) return p + "private-key";
  if (!side.ca.empty()) return p + "ca";
  if (!side.rpk_private_key.empty()) return p + "rpk-private-key";
  if (!side.server_public_key.empty()) return p + "server-public-key";
  return {};
}

}  // namespace

void add_security_options(CLI::App& app, SecurityArguments& arguments) {
  add_side(app, arguments.server, "server", "coaps:// and coaps+tcp:// servers", "coaps:// and coaps+tcp:// servers");
  add_side(app, arguments.repository, "repository", "coaps and coaps+tcp firmware downloads",
           "coaps, coaps+tcp and https firmware downloads");
  add_side(app, arguments.bootstrap, "bootstrap server", "a coaps:// bootstrap server", "a coaps:// bootstrap server");
}

namespace {
// One peer's credentials against its URI's scheme.
TlsCredentials credentials_for(const CredentialArguments& side, const std::string& scheme, const std::string& uri,
                               const char* uri_option) {
  const bool secure = scheme == "coaps" || scheme == "coaps+tcp";
  const auto given = first_given(side);
  if (!secure && !given.empty()) {
    throw std::invalid_argument(fmt::format("{}: the {} is {}://, which has no security; use coaps:// in {}", given,
                                            uri_option + 2, scheme, uri_option));
  }
  auto credentials = load_credentials(side, false);
  if (secure && credentials.coap_mode() == SecurityMode::NoSec) {
    throw std::invalid_argument(fmt::format("{} {}: a {}:// server needs credentials: {}psk-identity with {}psk-key or "
                                            "{}psk-key-env, {}certificate with {}private-key, or {}rpk-private-key",
                                            uri_option, uri, scheme, side.option_prefix, side.option_prefix,
                                            side.option_prefix, side.option_prefix, side.option_prefix,
                                            side.option_prefix));
  }
  return credentials;
}
}  // namespace

void apply_security_options(const SecurityArguments& arguments, ClientOptions& options) {
  if (!options.bootstrap_uri.empty()) {
    options.bootstrap_security =
        credentials_for(arguments.bootstrap, options.bootstrap.scheme, options.bootstrap_uri, "--bootstrap");
  } else if (const auto given = first_given(arguments.bootstrap); !given.empty()) {
    throw std::invalid_argument(given + ": there is no --bootstrap server to present it to");
  }
  if (!options.bootstrap_uri.empty() && options.server_uri.empty()) {
    // The DM account comes from the bootstrap server; own keys serve its RPK or certificate modes.
    options.server_security = load_credentials(arguments.server, false);
    options.firmware.repository_security = load_credentials(arguments.repository, true);
    return;
  }
  const bool secure = options.server.scheme == "coaps" || options.server.scheme == "coaps+tcp";
  const auto given = first_given(arguments.server);
  if (!secure && !given.empty()) {
    throw std::invalid_argument(
        fmt::format("{}: the server is {}://, which has no security; use coaps:// or "
                    "coaps+tcp:// in --server",
                    given, options.server.scheme));
  }
  options.server_security = load_credentials(arguments.server, false);
  if (secure && options.server_security.coap_mode() == SecurityMode::NoSec) {
    throw std::invalid_argument(
        fmt::format("--server {}: a {}:// server needs credentials: --psk-identity with --psk-key or --psk-key-env, "
                    "--certificate with --private-key (and --ca to verify the server), or --rpk-private-key",
                    options.server_uri, options.server.scheme));
  }
  options.firmware.repository_security = load_credentials(arguments.repository, true);
}

}  // namespace fc::refclient
