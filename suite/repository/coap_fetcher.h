// A Block2 downloader on the suite's CoAP layer: pulls a coap://, coaps://, coap+tcp:// or
// coaps+tcp:// URI block by block the way a device does (RFC 7959 §2.4, Size2, ETag checks,
// resumption) and reports exactly what arrived. The repository's own probe: integration tests
// and benchmarks use it against any CoAP server.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/coap/context.h"
#include "suite/coap/security.h"

namespace fc::repository {

struct CoapUri {
  coap::Transport transport = coap::Transport::Udp;
  std::string host;  // "127.0.0.1" or "::1" (without brackets)
  std::uint16_t port = 5683;  // the scheme's default when the URI has none (5684 for coaps, coaps+tcp)
  std::vector<std::string> path;
  std::vector<std::string> query;
  // "coap://host:port/a/b?x=1&y" (or coaps, coap+tcp, coaps+tcp); throws std::invalid_argument
  // naming the URI and the problem.
  static CoapUri parse(std::string_view uri);
};

struct FetchOptions {
  std::size_t block_size = 1024;   // asked for; the server may answer smaller
  bool ask_size2 = true;           // Size2=0 on the first request
  std::uint64_t resume_offset = 0; // a multiple of block_size
  std::optional<Bytes> if_etag;    // resuming: stop when the server's ETag is another one
  // RFC 7252 §4.8 for this fetch's session. libcoap 4.3.1 ignores an ACK_TIMEOUT below 1 s.
  double ack_timeout_s = 2.0;
  double ack_random_factor = 1.5;  // 1.0 makes retransmission times exact
  std::uint16_t max_retransmit = 4;
  // Gives up on a block after this long without an answer (a client's own dead-link timer,
  // shorter than CoAP's retransmission span); zero leaves it to the retransmissions.
  Duration block_timeout{0};
  Duration budget{30'000};         // the whole fetch
};

struct FetchResult {
  // TransportFailed: the session itself failed (a refused handshake, a connection that was
  // refused or lost); `error` says why.
  enum class End { Complete, ErrorCode, DeadLink, EtagChanged, Reset, OutOfTime, Protocol, TransportFailed };
  End end = End::Protocol;
  Bytes body;                          // bytes received from first_offset on, in order
  std::uint64_t first_offset = 0;
  coap::Code last_code;
  std::optional<Bytes> etag;           // of the first response
  std::optional<std::uint32_t> size2;  // announced by the first response that had one
  std::vector<coap::BlockOption> blocks;  // Block2 of every 2.05 received, in order
  std::size_t requests = 0;
  std::string error;                   // why it ended, unless Complete

  bool complete() const { return end == End::Complete; }
};
std::string to_string(FetchResult::End end);

class CoapFetcher {
 public:
  // `client`: what this downloader presents on coaps:// and coaps+tcp:// (and whom it trusts);
  // coap:// and coap+tcp:// fetches go without it.
  CoapFetcher(coap::EventLoop& loop, coap::Trace& trace, std::string channel = "downloader",
              coap::Credentials client = {});
  // Throws std::invalid_argument for a URI that does not parse; a session that cannot be opened
  // (no credentials for a secure scheme, libcoap refusing) ends as TransportFailed with the reason.
  FetchResult fetch(const std::string& uri, const FetchOptions& options = {});

 private:
  coap::EventLoop& loop_;
  coap::CoapContext context_;
  coap::Credentials client_;
  // By scheme and authority, reused across fetches; one that gave up on a block or failed is
  // closed, so the next fetch comes from a new port (as a device opening a new socket would).
  std::map<std::string, coap_session_t*> sessions_;

  static std::string session_key(const CoapUri& uri);
  // Pumps the loop until a TCP/TLS session is established; why it is not, otherwise.
  std::optional<std::string> await_established(const CoapUri& uri, coap_session_t* session, const Deadline& deadline);

  coap_session_t* session_for(const CoapUri& uri);
  void drop_session(const CoapUri& uri);
};

}  // namespace fc::repository
