// The LwM2M Registration interface (TS Core §6.2 / Transport §5.3): Register, Update and
// De-register on /rd, answered with the codes the spec gives, every event recorded.
#pragma once

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

 private:
  const ServerConfig& config_;
  Registry& registry_;

  coap::Reply do_register(const coap::IncomingRequest& request);
  coap::Reply do_update(const coap::IncomingRequest& request, const std::string& id);
  coap::Reply do_deregister(const coap::IncomingRequest& request, const std::string& id);
  coap::Reply reject(const coap::IncomingRequest& request, RegistrationEventKind kind, coap::Code code,
                     const std::string& endpoint, const std::string& why);
};

}  // namespace fc::server
