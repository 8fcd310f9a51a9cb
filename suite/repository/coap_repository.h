// The repository's CoAP side: serves published packages by path with Block2 at the client's
// size or smaller (RFC 7959 §2.4), ETag and Size2, applying content impairments per block.
#pragma once

#include <optional>
#include <string>

#include "suite/coap/context.h"
#include "suite/repository/package_store.h"
#include "suite/repository/transfer_counters.h"

namespace fc::repository {

struct CoapServing {
  bool always_size2 = false;       // Size2 in every response, not only when a request asks with Size2
  std::uint8_t max_block_szx = 6;  // never serve blocks larger than 2^(szx+4), whatever is asked
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
  // Binds `bind`:`port` (0: a free port); throws std::runtime_error naming the address.
  CoapRepository(coap::EventLoop& loop, coap::Trace& trace, PackageStore& store, TransferCounters& counters,
                 const std::string& bind, std::uint16_t port, CoapServing serving);

  const coap::BoundAddress& address() const { return address_; }
  coap::CoapContext& context() { return context_; }

 private:
  PackageStore& store_;
  TransferCounters& counters_;
  CoapServing serving_;
  coap::CoapContext context_;
  coap::BoundAddress address_;

  coap::Reply handle(const coap::IncomingRequest& request);
};

}  // namespace fc::repository
