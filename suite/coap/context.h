// One libcoap context as C++ sees it: endpoints, one handler for every incoming request, and
// outgoing requests whose responses come back to a callback by token. Every message in and out
// goes through the Trace.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/event_loop.h"
#include "suite/coap/message.h"
#include "suite/coap/security.h"
#include "suite/coap/trace.h"

struct coap_context_t;
struct coap_session_t;
struct coap_endpoint_t;

namespace fc::coap {

class RecentExchanges;

struct BoundAddress {
  std::string host;   // as given ("127.0.0.1", "::1")
  std::uint16_t port = 0;
  // "127.0.0.1:5683" or "[::1]:5683": ready for a URI authority.
  std::string authority() const;
};

struct IncomingRequest {
  coap_session_t* session = nullptr;
  Message message;
  std::string peer;
};

// What a request handler answers. A code of 0.00 sends no response: an empty ACK for a CON
// (libcoap cannot ignore a CON silently), nothing for a NON.
struct Reply {
  Code code;
  std::optional<std::uint16_t> content_format;
  Bytes payload;
  std::vector<std::string> location_path;
  std::optional<BlockOption> block1;
  std::optional<BlockOption> block2;
  std::optional<std::uint32_t> size1;
  std::optional<std::uint32_t> size2;
  std::optional<Bytes> etag;
  std::optional<std::uint32_t> observe;  // the first response of an observation, notifications
  static Reply with(Code c) { Reply r; r.code = c; return r; }
  static Reply text(Code c, std::string_view diagnostic);
};
using RequestHandler = std::function<Reply(const IncomingRequest&)>;

struct OutgoingRequest {
  Code method = code::Get;
  // Reuse a token (cancelling an observation with Observe=1 must use the observation's token).
  std::optional<Bytes> token;
  bool confirmable = true;
  std::vector<std::string> uri_path;
  std::vector<std::string> uri_query;
  std::optional<std::uint16_t> content_format;
  std::optional<std::uint16_t> accept;
  std::optional<std::uint32_t> observe;
  std::optional<BlockOption> block1;
  std::optional<BlockOption> block2;
  std::optional<std::uint32_t> size1;
  std::optional<std::uint32_t> size2;
  Bytes payload;
};

struct Outcome {
  enum class Kind { Response, Timeout, Reset, Failed };
  Kind kind = Kind::Failed;
  Message response;   // for Kind::Response
  std::string error;  // for the others: why
  Clock::time_point time;
};
using ResponseCallback = std::function<void(const Outcome&)>;

class CoapContext {
 public:
  // `channel` names this context in the trace ("lwm2m", "repository-coap", "device").
  CoapContext(EventLoop& loop, std::string channel, Trace& trace);
  ~CoapContext();
  CoapContext(const CoapContext&) = delete;
  CoapContext& operator=(const CoapContext&) = delete;

  // Server-side credentials for this context's Dtls/Tls endpoints; call before listen() of a secure transport.
  // Throws std::runtime_error naming an unusable file or setting; std::logic_error once this
  // context has opened a secure client session.
  void accept_secure(Credentials credentials);
  // Binds an endpoint; port 0 picks a free one. Throws std::runtime_error naming the address and
  // transport (also for a secure transport without accept_secure()).
  BoundAddress listen(const std::string& host, std::uint16_t port, Transport transport = Transport::Udp);
  // Every request on any endpoint or client session, any path, any method. On UDP and DTLS a
  // duplicate (same Message ID from the same peer, RFC 7252 §4.5) does not reach the handler: a
  // CON within EXCHANGE_LIFETIME gets the remembered reply again, a NON within NON_LIFETIME is
  // ignored; both are noted in the trace.
  void on_request(RequestHandler handler);
  // Off: every request reaches the handler, duplicates too (for idempotent resources whose
  // handler counts what the peer sent, like the firmware repository's blocks).
  void deduplicate_requests(bool on) { deduplicate_ = on; }

  // Sends `request` on `session`; `callback` runs for the response (every notification too,
  // when `persistent`). Returns the token. Throws std::runtime_error when libcoap refuses.
  Bytes send(coap_session_t* session, const OutgoingRequest& request, ResponseCallback callback,
             bool persistent = false);
  // Sends an Observe notification (RFC 7641 §4.2) for `token`: a 2.xx response carrying the
  // Observe sequence number, outside any request handler. For devices written in tests.
  void notify(coap_session_t* session, const Bytes& token, std::uint32_t sequence, const Reply& content,
              bool confirmable = true);
  // Drops the callback for `token`: later responses with it are answered with RST (which also
  // cancels an observation, RFC 7641 §3.6).
  void forget(const Bytes& token);
  std::size_t pending() const { return pending_.size(); }

  // A client session from this context to a server (tests, benchmarks, the repository's peers),
  // presenting `client` on Dtls/Tls. A secure handshake completes while the loop is pumped; a
  // failed one fails the requests sent on the session (Outcome::Kind::Failed naming why).
  // Throws std::runtime_error naming the address and transport when libcoap cannot or will not,
  // std::invalid_argument when the credentials do not fit the transport (NoSec over Dtls…), and
  // std::logic_error on a context with server credentials (libcoap 4.3.1: one set-up per context).
  coap_session_t* connect(const std::string& host, std::uint16_t port, Transport transport = Transport::Udp,
                          const Credentials& client = {});
  // Every handshake a client presented to this context's secure endpoints; empty without accept_secure().
  const std::vector<HandshakeReport>& handshakes() const;
  // PSK mode: the key later handshakes must use (a case that makes the keys disagree on purpose).
  void accept_psk_key(Bytes key);
  // RFC 7252 §4.8 parameters for one session (ACK_RANDOM_FACTOR at least 1.0).
  static void set_transmission(coap_session_t* session, double ack_timeout_s, std::uint16_t max_retransmit,
                               double ack_random_factor = 1.5);
  static std::string peer_of(const coap_session_t* session);
  static std::string local_of(const coap_session_t* session);

  coap_context_t* raw() const { return ctx_; }
  EventLoop& loop() { return loop_; }
  Trace& trace() { return trace_; }
  const std::string& channel() const { return channel_; }

 private:
  struct Pending {
    ResponseCallback callback;
    bool persistent = false;
  };
  EventLoop& loop_;
  std::string channel_;
  Trace& trace_;
  coap_context_t* ctx_ = nullptr;
  RequestHandler handler_;
  std::map<Bytes, Pending> pending_;
  std::vector<coap_endpoint_t*> endpoints_;
  std::unique_ptr<SecureServerSetup> secure_;
  std::vector<std::unique_ptr<SecureClientSession>> secure_clients_;
  // RFC 7252 §4.5 deduplication of requests on UDP and DTLS (libcoap 4.3.1 does not do it).
  std::unique_ptr<RecentExchanges> recent_;
  bool deduplicate_ = true;

  friend struct ContextCallbacks;
};

}  // namespace fc::coap
