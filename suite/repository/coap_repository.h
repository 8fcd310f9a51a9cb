// The repository's CoAP side: serves published packages by path with Block2 at the client's
// size or smaller (RFC 7959 §2.4), ETag and Size2, applying content impairments per block, on
// every transport it listens on (UDP, DTLS, TCP, TLS: one context, one handler).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/repository/package_store.h"
#include "suite/repository/transfer_counters.h"

namespace fc::repository {

struct CoapServing {
  bool always_size2 = false;       // Size2 in every response, not only when a request asks with Size2
  std::uint8_t max_block_szx = 6;  // never serve blocks larger than 2^(szx+4), whatever is asked
};

// The endpoints to open. UDP always; DTLS (and TLS with `tcp`) when `secure` has credentials;
// TCP with `tcp`. Port 0 picks a free one for each.
struct CoapEndpoints {
  std::uint16_t udp_port = 0;
  std::uint16_t dtls_port = 0;
  std::uint16_t tcp_port = 0;
  std::uint16_t tls_port = 0;
  bool tcp = true;
  coap::Credentials secure;  // what clients must present on coaps:// and coaps+tcp://
};

// The answer to one GET of `package`, before it goes on the wire.
struct BlockAnswer {
  coap::Reply reply;
  std::optional<RequestPosition> served;  // where the served block lies; empty for error answers
  std::vector<std::string> notes;         // impairments that acted, for the trace
};

// Block2 serving as a function of the request alone (the repository keeps no per-client block
// state): the block the client asked for, re-numbered when served smaller (RFC 7959 §2.4).
BlockAnswer answer_block_request(HostedPackage& package, const coap::Message& request, const CoapServing& serving);

class CoapRepository {
 public:
  // Binds every endpoint on `bind`; throws std::runtime_error naming the address and transport,
  // or the credential that cannot be used. TCP and TLS are skipped when libcoap lacks them;
  // DTLS asked for without DTLS support throws.
  CoapRepository(coap::EventLoop& loop, coap::Trace& trace, PackageStore& store, TransferCounters& counters,
                 const std::string& bind, const CoapEndpoints& endpoints, CoapServing serving);

  // The UDP endpoint (the relays forward to it).
  const coap::BoundAddress& address() const { return addresses_.at(coap::Transport::Udp); }
  // nullopt for a transport not served.
  std::optional<coap::BoundAddress> address(coap::Transport transport) const;
  const std::vector<coap::HandshakeReport>& handshakes() const { return context_.handshakes(); }
  coap::CoapContext& context() { return context_; }

 private:
  PackageStore& store_;
  TransferCounters& counters_;
  CoapServing serving_;
  coap::CoapContext context_;
  std::map<coap::Transport, coap::BoundAddress> addresses_;

  coap::Reply handle(const coap::IncomingRequest& request);
};

}  // namespace fc::repository
