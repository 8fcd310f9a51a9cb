// The LwM2M Registration interface (TS Core §6.2 / Transport §5.3): Register, Update and
// De-register on /rd, answered with the codes the spec gives, every event recorded. An object
// list sent in Block1 blocks (RFC 7959 §2.3) is reassembled before the Register or Update runs.
#pragma once

#include <map>
#include <string>

#include "suite/coap/context.h"
#include "suite/server/registry.h"
#include "suite/server/server_config.h"

namespace fc::server {

class RegistrationInterface {
 public:
  RegistrationInterface(const ServerConfig& config, Registry& registry) : config_(config), registry_(registry) {}

  // True for requests below /rd, which this interface answers.
  static bool handles(const coap::Message& request);
  coap::Reply handle(const coap::IncomingRequest& request);

  // Block1 bounds: a longer object list is refused 4.13 with Size1; at most kMaxPartialBodies
  // transfers are held at once (the one idle longest goes first), each for EXCHANGE_LIFETIME
  // after its last block.
  static constexpr std::size_t kMaxObjectListBytes = 64 * 1024;
  static constexpr std::size_t kMaxPartialBodies = 64;
  static constexpr Clock::duration kPartialBodyLifetime = std::chrono::seconds(247);
  std::size_t partial_bodies() const { return partial_.size(); }
  // Drops partial bodies whose last block is kPartialBodyLifetime old at `now`; handle() calls it.
  void drop_stale_partial_bodies(Clock::time_point now);

 private:
  struct PartialBody {
    Bytes body;
    Clock::time_point last_block;
  };
  const ServerConfig& config_;
  Registry& registry_;
  // Keyed by peer, path and queries: "127.0.0.1:5683 /rd?ep=dev-1&lt=60".
  std::map<std::string, PartialBody> partial_;

  coap::Reply reassemble(const coap::IncomingRequest& request);
  coap::Reply dispatch_whole(const coap::IncomingRequest& request);

  coap::Reply do_register(const coap::IncomingRequest& request);
  coap::Reply do_update(const coap::IncomingRequest& request, const std::string& id);
  coap::Reply do_deregister(const coap::IncomingRequest& request, const std::string& id);
  coap::Reply reject(const coap::IncomingRequest& request, RegistrationEventKind kind, coap::Code code,
                     const std::string& endpoint, const std::string& why);
};

}  // namespace fc::server
