// The reference LwM2M server: a libcoap endpoint with the Registration interface, a registry
// of devices, and device-management clients towards them. Pumped by whoever waits on the loop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/server/device_client.h"
#include "suite/server/registration_interface.h"
#include "suite/server/registry.h"
#include "suite/server/send_interface.h"
#include "suite/server/server_config.h"

namespace fc::server {

class ReferenceServer {
 public:
  // Binds at once; throws std::runtime_error naming the address when it cannot, and
  // std::invalid_argument when the transport and the credentials' mode do not fit together.
  ReferenceServer(coap::EventLoop& loop, coap::Trace& trace, ServerConfig config);
  ~ReferenceServer();
  ReferenceServer(const ReferenceServer&) = delete;
  ReferenceServer& operator=(const ReferenceServer&) = delete;

  const coap::BoundAddress& address() const { return address_; }
  // "coap://127.0.0.1:40123" ("coaps://…" over DTLS…): what a device is told to register with.
  std::string uri() const;
  // Every (D)TLS handshake a device attempted, with why a refused one was refused.
  const std::vector<coap::HandshakeReport>& handshakes() const { return context_.handshakes(); }
  // PSK mode: the key the next handshakes must use; config().credentials keeps the profile's.
  void accept_psk_key(Bytes key) { context_.accept_psk_key(std::move(key)); }

  // Waits until `endpoint` registers with a generation above `after_generation` (0: any
  // registration, including one already there). `give_up`, when given, ends the wait early
  // (a caller that has seen what tells it no Register will come).
  bool await_registration(const std::string& endpoint, const Deadline& deadline, unsigned after_generation = 0,
                          const std::function<bool()>& give_up = {});
  bool await_deregistration(const std::string& endpoint, const Deadline& deadline);
  // Queue mode (TS Core 6.2.1.1): requests to a device registered with Q wait here until it is
  // reachable (inside the window after a Register or Update). The sleep is bounded by its
  // lifetime, before whose end it must Update: false, with why, when it did not wake by then.
  bool await_reachable(const std::string& endpoint, std::string& why);
  // How often a device in queue mode did not wake for a waiting request, and the last diagnosis.
  std::size_t never_woke() const { return never_woke_; }
  const std::string& never_woke_diagnosis() const { return never_woke_diagnosis_; }
  DeviceClient device(const std::string& endpoint) { return DeviceClient(*this, endpoint); }

  Registry& registry() { return registry_; }
  // Every LwM2M 1.1 Send (POST /dp) received, in order.
  const std::vector<SendReport>& send_reports() const { return send_.reports(); }
  const ServerConfig& config() const { return config_; }
  coap::EventLoop& loop() { return loop_; }
  coap::CoapContext& context() { return context_; }

  // Observations made through DeviceClient; a new Register of the endpoint voids them.
  void track(const std::shared_ptr<Observation>& observation, const std::string& endpoint);

 private:
  coap::EventLoop& loop_;
  ServerConfig config_;
  coap::CoapContext context_;
  Registry registry_;
  RegistrationInterface registration_;
  SendInterface send_;
  coap::BoundAddress address_;
  coap::EventLoop::TimerId expiry_timer_ = 0;
  struct Tracked {
    std::weak_ptr<Observation> observation;
    std::string endpoint;
  };
  std::vector<Tracked> observations_;
  std::size_t never_woke_ = 0;
  std::string never_woke_diagnosis_;

  coap::Reply dispatch(const coap::IncomingRequest& request);
  void void_observations(const std::string& endpoint);
  void schedule_expiry();
};

}  // namespace fc::server
