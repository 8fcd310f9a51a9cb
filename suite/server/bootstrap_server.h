// The LwM2M Bootstrap Server (TS Core §5.2, §6.1; Transport §6.1): answers a client-initiated
// Bootstrap-Request (POST /bs?ep=…) with 2.04, then on the same session deletes /0 and /1,
// writes one Security instance and one Server instance that point the device at the reference
// server, and sends Bootstrap-Finish (POST /bs). Every step and its answer is kept, so a run can
// say exactly where a device's bootstrap went wrong.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/value.h"
#include "suite/server/server_config.h"

namespace fc::server {

struct BootstrapConfig {
  // Where it listens (bind, port: 0 picks a free one), how (transport Udp with NoSec, Dtls with
  // PSK or X.509 credentials: what the device must present to bootstrap) and how it retransmits
  // its requests to the device (ack_timeout_s, max_retransmit): the DM server's settings; the
  // rest of a ServerConfig is unused here.
  ServerConfig listen;

  // The account written for the DM server: its URI, the credentials the device is to present
  // there (NoSec or PSK are written in full; RPK and X.509 write the mode only, the device
  // keeps its own key material), and the Server instance's values.
  std::string dm_server_uri;
  coap::Credentials dm_credentials;
  std::uint16_t security_instance = 1;  // /0/1: /0/0 is usually the bootstrap account itself
  std::uint16_t server_instance = 0;
  std::uint16_t short_server_id = 1;
  std::uint32_t lifetime = 300;
  std::string binding = "U";
};

// One exchange of a bootstrap, as the reports show it.
struct BootstrapStep {
  Clock::time_point time;
  std::string action;   // "Bootstrap-Request POST /bs?ep=dev", "Delete /0", "Write /0/1", "Bootstrap-Finish POST /bs"
  std::string written;  // for a Write: the values, secrets left out ("0=coaps://… 2=0 (PSK) 3=<identity> 5=<key>")
  std::string outcome;  // "2.04 Changed", "4.05 Method Not Allowed: …", "no answer (timeout)"
  bool ok = false;
};

struct BootstrapAttempt {
  enum class State { InProgress, Finished, Failed };
  std::string endpoint;
  std::string peer;
  Clock::time_point started;
  State state = State::InProgress;
  std::vector<BootstrapStep> steps;
  // Failed: which step went wrong and how, in words a vendor can act on.
  std::string failure;
};
std::string to_string(BootstrapAttempt::State state);

class BootstrapServer {
 public:
  // Throws as ReferenceServer's constructor does (an address it cannot bind, a transport that
  // does not fit the credentials).
  BootstrapServer(coap::EventLoop& loop, coap::Trace& trace, BootstrapConfig config);
  ~BootstrapServer();
  BootstrapServer(const BootstrapServer&) = delete;
  BootstrapServer& operator=(const BootstrapServer&) = delete;

  // "coap://127.0.0.1:40124" or "coaps://…": what a device is factory-configured with.
  std::string uri() const;
  const BootstrapConfig& config() const { return config_; }
  const std::vector<coap::HandshakeReport>& handshakes() const { return context_.handshakes(); }
  // Every bootstrap any device started, oldest first.
  const std::vector<BootstrapAttempt>& attempts() const { return attempts_; }
  // The latest attempt of `endpoint`, or null when it never sent a Bootstrap-Request.
  const BootstrapAttempt* last_attempt(const std::string& endpoint) const;
  // The Records a Write of the Security and the Server instance carries (secrets included).
  lwm2m::Records security_instance() const;
  lwm2m::Records server_instance() const;

 private:
  struct Exchange {
    coap::OutgoingRequest request;
    std::string action;
    std::string written;
    coap::Code expected;  // a 2.xx; anything else ends the bootstrap
  };
  coap::EventLoop& loop_;
  BootstrapConfig config_;
  coap::CoapContext context_;
  coap::BoundAddress address_;
  std::vector<BootstrapAttempt> attempts_;

  coap::Reply dispatch(const coap::IncomingRequest& request);
  std::vector<Exchange> plan() const;
  // Sends exchange `index` of `plan` on `session` for attempt `attempt`, then the next one
  // once it is answered as expected.
  void run_step(std::size_t attempt, coap_session_t* session, std::vector<Exchange> plan, std::size_t index);
};

}  // namespace fc::server
