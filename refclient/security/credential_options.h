// The credential options of one peer as typed on the command line (--psk-identity, --certificate,
// ... or their --fw- twins), and the checks that turn them into TlsCredentials.
#pragma once

#include <string>
#include <string_view>

#include "refclient/security/tls_credentials.h"
#include "suite/common/bytes.h"

namespace fc::refclient {

struct CredentialArguments {
  std::string option_prefix = "--";  // "--" for the server, "--fw-" for the repository
  std::string psk_identity;
  std::string psk_key_hex;
  std::string psk_key_env;  // name of an environment variable holding the key in hex
  std::string certificate;
  std::string private_key;
  std::string ca;
  std::string rpk_private_key;
  std::string server_public_key;
};

// LwM2M asks for PSK identities up to 128 bytes and keys up to 64 (TS E.1.1.1); libcoap 4.3.1
// (GnuTLS) carries both.
inline constexpr std::size_t kMaxPskIdentity = 128;
inline constexpr std::size_t kMaxPskKey = 64;

// Checks every option and loads the files. Throws std::invalid_argument whose message starts
// with the option at fault ("--fw-psk-key: ..."); a key never appears in a message.
// `ca_beside_other_modes`: whether the CA may come with PSK or RPK (the repository's https pulls
// use it whatever the CoAP mode); for the server it would be unused and is refused.
TlsCredentials load_credentials(const CredentialArguments& arguments, bool ca_beside_other_modes);

// A PSK in hex (upper or lower case), 1..kMaxPskKey bytes. Throws std::invalid_argument naming
// `option` and the offending offset, never the text itself.
Bytes parse_psk_hex(std::string_view hex, std::string_view option);

}  // namespace fc::refclient
