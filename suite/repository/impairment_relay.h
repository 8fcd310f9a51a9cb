// A UDP relay between CoAP clients and the repository's endpoint that applies wire impairments
// (drop after a position, stall, loss, delay): silence a libcoap handler cannot produce, since
// libcoap answers every CON it hands to a handler. Runs on the suite's event loop.
#pragma once

#include <sys/socket.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/repository/relay_policy.h"

namespace fc::repository {

class ImpairmentRelay {
 public:
  // Binds `bind_host` on a free port; each client gets its own upstream socket towards
  // `repository`, so the repository still tells clients apart. `label` leads the trace notes.
  ImpairmentRelay(coap::EventLoop& loop, coap::Trace& trace, const std::string& bind_host,
                  const coap::BoundAddress& repository, const std::vector<Impairment>& impairments,
                  std::string label);
  ~ImpairmentRelay();
  ImpairmentRelay(const ImpairmentRelay&) = delete;
  ImpairmentRelay& operator=(const ImpairmentRelay&) = delete;
  // Lifts one pace (RelayPolicy::release_pace), noted in the trace; false when none was in force.
  // On the loop's thread: a datagram already held back keeps its delay, the next ones do not.
  bool release_pace(const Impairment& pace);

  const coap::BoundAddress& address() const { return address_; }
  const RelayCounts& counts() const { return policy_.counts(); }
  // Ends its stalls now (RelayPolicy::release_stalls), noted in the trace. On the loop's thread,
  // so the next datagram it relays already passes.
  void release_stalls();

 private:
  struct Peer {
    std::string name;  // "127.0.0.1:40123"
    sockaddr_storage address{};
    socklen_t length = 0;
    int upstream = -1;
  };
  coap::EventLoop& loop_;
  coap::Trace& trace_;
  std::string label_;
  RelayPolicy policy_;
  int socket_ = -1;
  coap::BoundAddress address_;
  sockaddr_storage repository_{};
  socklen_t repository_length_ = 0;
  std::map<std::string, std::unique_ptr<Peer>> peers_;
  Bytes buffer_ = Bytes(65536);  // one receive buffer: the largest UDP datagram
  // Delayed sends hold a weak reference: once the relay is gone they do nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);

  void on_client_datagrams();
  void on_repository_datagrams(Peer& peer);
  Peer& peer_for(const sockaddr_storage& address, socklen_t length);
  void pass(Leg leg, Peer& peer, Bytes datagram);
  void send(Leg leg, const Peer& peer, const Bytes& datagram);
};

}  // namespace fc::repository
