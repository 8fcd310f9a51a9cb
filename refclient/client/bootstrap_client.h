// Client-initiated bootstrap (TS Core §5.2.7.1, §6.1): the reference client keeps a bootstrap
// account (--bootstrap URI and its --bootstrap-* credentials), sends Bootstrap-Request, takes
// the bootstrap server's Delete and Write of /0 and /1, and on Bootstrap-Finish checks that it
// was given one DM server it can use. The account it was given is kept in the state folder, so a
// restart (Reboot, firmware Update) registers at once, as Anjay and Wakaama do with their
// persisted configuration.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "refclient/client/client_options.h"
#include "suite/lwm2m/value.h"

namespace fc::refclient {

// The DM account the bootstrap server wrote: enough to register.
struct DmAccount {
  std::string server_uri;
  std::int64_t security_mode = 3;  // /0/x/2: 0 PSK, 1 RPK, 2 certificate, 3 NoSec
  std::string psk_identity;
  Bytes psk_key;
  std::optional<std::uint32_t> lifetime;  // /1/x/1
};

// The instances the bootstrap server has written so far, resource by resource, and the check
// Bootstrap-Finish makes on them.
class BootstrapStore {
 public:
  // Bootstrap-Delete of "/" , "/0", "/1" or one instance of them (other objects: nothing to delete).
  void erase(const std::vector<std::uint16_t>& path);
  void write(const lwm2m::Records& records);
  // The one DM account the instances describe, or why they do not describe one (for a 4.06).
  std::optional<DmAccount> dm_account(std::string& problem) const;

 private:
  // (object, instance) → resource → value
  std::map<std::pair<std::uint16_t, std::uint16_t>, std::map<std::uint16_t, lwm2m::Value>> instances_;
};

// The account kept in `state_dir` from an earlier bootstrap; nullopt when there is none.
std::optional<DmAccount> load_dm_account(const std::filesystem::path& state_dir);
void save_dm_account(const std::filesystem::path& state_dir, const DmAccount& account);

// `options` pointed at the DM server of `account` (URI, credentials, lifetime). The credentials
// for RPK and certificate modes stay those of the command line. Throws std::invalid_argument
// naming what cannot be used.
void use_dm_account(ClientOptions& options, const DmAccount& account);

// Runs the bootstrap with the server of options.bootstrap until a Bootstrap-Finish was accepted
// (the account, also saved in the state folder) or `stop_fd` becomes readable (nullopt).
// Throws std::runtime_error when no session to the bootstrap server can be opened.
std::optional<DmAccount> run_bootstrap(const ClientOptions& options, int stop_fd);

}  // namespace fc::refclient
