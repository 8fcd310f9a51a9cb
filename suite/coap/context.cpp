#include "suite/coap/context.h"

#include <coap3/coap.h>
#include <netdb.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "suite/coap/dedup.h"
#include "suite/coap/runtime.h"
#include "suite/coap/wire_listeners.h"

namespace fc::coap {

std::string BoundAddress::authority() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Reply Reply::text(Code c, std::string_view diagnostic) {
  Reply r;
  r.code = c;
  r.payload = to_bytes(diagnostic);
  return r;
}

namespace {

coap_address_t resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* result = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &result);
  if (rc != 0 || !result)
    throw std::runtime_error("cannot resolve '" + host + "': " + ::gai_strerror(rc));
  coap_address_t addr;
  coap_address_init(&addr);
  std::memcpy(&addr.addr, result->ai_addr, result->ai_addrlen);
  addr.size = result->ai_addrlen;
  ::freeaddrinfo(result);
  coap_address_set_port(&addr, port);
  return addr;
}

std::uint16_t port_of_endpoint(const coap_endpoint_t* ep) {
  // libcoap 4.3.1 has no getter: coap_endpoint_str gives "127.0.0.1:47436 UDP" / "[::1]:5683 UDP".
  std::string text = coap_endpoint_str(ep);
  auto space = text.find(' ');
  auto colon = text.rfind(':', space);
  if (colon == std::string::npos) throw std::runtime_error("cannot read the bound port from '" + text + "'");
  return static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1, space - colon - 1)));
}

coap_proto_t protocol_of(Transport transport) {
  switch (transport) {
    case Transport::Udp: return COAP_PROTO_UDP;
    case Transport::Dtls: return COAP_PROTO_DTLS;
    case Transport::Tcp: return COAP_PROTO_TCP;
    case Transport::Tls: return COAP_PROTO_TLS;
  }
  return COAP_PROTO_UDP;
}

// libcoap 4.3.1's coap_session_max_pdu_size() blocks a TCP/TLS client session for up to 5 s,
// pumping only its own context, until the server's CSM arrives: a server in the same loop
// cannot answer meanwhile. Before the CSM, RFC 8323 §5.3.1's default Max-Message-Size applies.
size_t pdu_size_for(coap_session_t* session) {
  coap_proto_t proto = coap_session_get_proto(session);
  bool reliable = proto == COAP_PROTO_TCP || proto == COAP_PROTO_TLS;
  if (reliable && coap_session_get_type(session) == COAP_SESSION_TYPE_CLIENT &&
      coap_session_get_state(session) != COAP_SESSION_STATE_ESTABLISHED)
    return 1152;
  return coap_session_max_pdu_size(session);
}

// False when libcoap refused the option (the PDU is full).
bool add_uint_option(coap_pdu_t* pdu, coap_option_num_t number, std::uint32_t value) {
  std::uint8_t buf[4];
  return coap_add_option(pdu, number, coap_encode_var_safe(buf, sizeof buf, value), buf) > 0;
}

bool add_string_option(coap_pdu_t* pdu, coap_option_num_t number, const std::string& value) {
  return coap_add_option(pdu, number, value.size(), reinterpret_cast<const std::uint8_t*>(value.data())) > 0;
}

// False when libcoap refused an option or the payload (the PDU is full).
bool add_reply(coap_pdu_t* pdu, const Reply& reply) {
  bool complete = true;
  coap_pdu_set_code(pdu, static_cast<coap_pdu_code_t>(reply.code.raw()));
  for (const auto& segment : reply.location_path)
    complete &= add_string_option(pdu, COAP_OPTION_LOCATION_PATH, segment);
  if (reply.observe) complete &= add_uint_option(pdu, COAP_OPTION_OBSERVE, *reply.observe);
  if (reply.etag) complete &= coap_add_option(pdu, COAP_OPTION_ETAG, reply.etag->size(), reply.etag->data()) > 0;
  if (reply.content_format) complete &= add_uint_option(pdu, COAP_OPTION_CONTENT_FORMAT, *reply.content_format);
  if (reply.block2) complete &= add_uint_option(pdu, COAP_OPTION_BLOCK2, reply.block2->encode());
  if (reply.block1) complete &= add_uint_option(pdu, COAP_OPTION_BLOCK1, reply.block1->encode());
  if (reply.size2) complete &= add_uint_option(pdu, COAP_OPTION_SIZE2, *reply.size2);
  if (reply.size1) complete &= add_uint_option(pdu, COAP_OPTION_SIZE1, *reply.size1);
  if (!reply.payload.empty()) complete &= coap_add_data(pdu, reply.payload.size(), reply.payload.data()) != 0;
  return complete;
}

// What Message::from_pdu(pdu) gives for a PDU add_reply filled completely, built from the reply
// instead of decoded back out of the PDU: the header from the PDU, the options and the payload
// moved out of the reply. Every block of a transfer is answered here, so the response's trace
// entry costs no second decoding and no copy of its payload.
Message sent_reply(const coap_pdu_t* pdu, Reply&& reply) {
  Message m;
  m.type = static_cast<MessageType>(coap_pdu_get_type(pdu));
  m.code = Code::from_raw(static_cast<std::uint8_t>(coap_pdu_get_code(pdu)));
  m.message_id = static_cast<std::uint16_t>(coap_pdu_get_mid(pdu));
  auto token = coap_pdu_get_token(pdu);
  m.token.assign(token.s, token.s + token.length);
  m.location_path = std::move(reply.location_path);
  m.content_format = reply.content_format;
  m.observe = reply.observe;
  m.block1 = reply.block1;
  m.block2 = reply.block2;
  m.size1 = reply.size1;
  m.size2 = reply.size2;
  if (reply.etag) m.etags.push_back(std::move(*reply.etag));
  m.payload = std::move(reply.payload);
  return m;
}

}  // namespace

// libcoap's C callbacks, with access to CoapContext's internals.
struct ContextCallbacks {
  static CoapContext* owner(coap_session_t* session) {
    return static_cast<CoapContext*>(coap_get_app_data(coap_session_get_context(session)));
  }

  static void on_request(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request,
                         const coap_string_t*, coap_pdu_t* response) {
    CoapContext* self = owner(session);
    if (self->secure_) self->secure_->notice_traffic();
    IncomingRequest in{session, Message::from_pdu(request), CoapContext::peer_of(session)};
    std::string local = CoapContext::local_of(session);
    // The request's entry takes the message itself once nothing here reads it any more (every
    // block of a transfer comes here: no copy of it), at the place in the trace it had when it
    // came, before whatever its handler records.
    // Recorded once on every way out, an exception from the handler included.
    auto came = Clock::now();
    auto place = self->trace_.mark();
    bool recorded = false;
    auto record_request = [&] {
      if (std::exchange(recorded, true)) return;
      self->trace_.record_at(place, came, Direction::Received, self->channel_, in.peer, local, std::move(in.message));
    };
    struct AtExit {
      decltype(record_request)& record;
      ~AtExit() { record(); }
    } at_exit{record_request};
    // TCP and TLS carry no Message IDs (RFC 8323): nothing to deduplicate there.
    coap_proto_t proto = coap_session_get_proto(session);
    bool has_message_ids = self->deduplicate_ && (proto == COAP_PROTO_UDP || proto == COAP_PROTO_DTLS);
    bool confirmable = in.message.type == MessageType::Con;
    auto mid = in.message.message_id;
    const Reply* before = has_message_ids ? self->recent_->find(local, in.peer, mid, confirmable, came) : nullptr;
    if (before && !confirmable) {
      self->trace_.note(self->channel_,
                        "duplicate of mid=" + std::to_string(mid) + " from " + in.peer + ": ignored (RFC 7252 4.5)");
      return;
    }
    if (before)
      self->trace_.note(self->channel_, "duplicate of mid=" + std::to_string(mid) + " from " + in.peer +
                                            ": answered as before (RFC 7252 4.5)");
    Reply reply = before ? *before : self->handler_ ? self->handler_(in) : Reply::with(code::NotFound);
    if (has_message_ids && !before) self->recent_->remember(local, in.peer, mid, reply, came);
    if (reply.code == Code{}) {
      self->trace_.note(self->channel_, "no response to " + in.message.summary());
      return;
    }
    Message sent = add_reply(response, reply) ? sent_reply(response, std::move(reply)) : Message::from_pdu(response);
    record_request();  // before the reply: appended, not inserted
    self->trace_.record(Direction::Sent, self->channel_, std::move(in.peer), std::move(local), std::move(sent));
  }

  static coap_response_t on_response(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* received,
                                     const coap_mid_t) {
    CoapContext* self = owner(session);
    Message message = Message::from_pdu(received);
    std::string peer = CoapContext::peer_of(session);
    auto it = self->pending_.find(message.token);
    if (it == self->pending_.end()) {
      self->trace_.record(Direction::Received, self->channel_, peer, CoapContext::local_of(session), message,
                          "unexpected token: answered RST");
      return COAP_RESPONSE_FAIL;
    }
    self->trace_.record(Direction::Received, self->channel_, peer, CoapContext::local_of(session), message);
    auto callback = it->second.callback;
    if (!it->second.persistent) self->pending_.erase(it);
    callback(Outcome{Outcome::Kind::Response, std::move(message), {}, Clock::now()});
    return COAP_RESPONSE_OK;
  }

  static void on_nack(coap_session_t* session, const coap_pdu_t* sent, coap_nack_reason_t reason, const coap_mid_t) {
    CoapContext* self = owner(session);
    if (!sent) return;
    auto token = coap_pdu_get_token(sent);
    Bytes key(token.s, token.s + token.length);
    auto it = self->pending_.find(key);
    if (it == self->pending_.end()) return;
    Outcome outcome;
    outcome.time = Clock::now();
    switch (reason) {
      case COAP_NACK_TOO_MANY_RETRIES:
        outcome.kind = Outcome::Kind::Timeout;
        outcome.error = "no acknowledgement after every retransmission";
        break;
      case COAP_NACK_RST:
        outcome.kind = Outcome::Kind::Reset;
        outcome.error = "peer answered RST";
        break;
      case COAP_NACK_TLS_FAILED: {
        outcome.kind = Outcome::Kind::Failed;
        std::string why = "the handshake did not complete";
        for (const auto& secure : self->secure_clients_) {
          if (secure->session() != session) continue;
          const HandshakeReport& report = secure->report();
          if (!report.reason.empty()) why = report.reason;
          // With TLS 1.3 a client finishes before the server has checked its certificate.
          if (report.established)
            why = "the server closed the session after the handshake completed on this side "
                  "(it may have refused this client's certificate or key)";
        }
        outcome.error = (coap_session_get_proto(session) == COAP_PROTO_TLS ? "TLS" : "DTLS") +
                        std::string(" handshake with ") + CoapContext::peer_of(session) + " failed: " + why;
        break;
      }
      default:
        outcome.kind = Outcome::Kind::Failed;
        outcome.error = "not deliverable (libcoap nack reason " + std::to_string(static_cast<int>(reason)) + ")";
        break;
    }
    self->trace_.note(self->channel_, "tok=" + to_hex(key) + ": " + outcome.error);
    auto callback = it->second.callback;
    self->pending_.erase(it);
    callback(outcome);
  }
};

CoapContext::CoapContext(EventLoop& loop, std::string channel, Trace& trace)
    : loop_(loop), channel_(std::move(channel)), trace_(trace), recent_(std::make_unique<RecentExchanges>()) {
  ensure_libcoap_started();
  ctx_ = coap_new_context(nullptr);
  if (!ctx_) throw std::runtime_error("libcoap could not create a context");
  coap_set_app_data(ctx_, this);
  // Block-wise transfer is done by fotacheck itself so that every block is visible, countable
  // and can be impaired; libcoap passes Block1/Block2 options through untouched.
  coap_context_set_block_mode(ctx_, 0);
  coap_register_response_handler(ctx_, &ContextCallbacks::on_response);
  coap_register_nack_handler(ctx_, &ContextCallbacks::on_nack);
  coap_resource_t* any = coap_resource_unknown_init2(&ContextCallbacks::on_request, 0);
  for (auto method : {COAP_REQUEST_GET, COAP_REQUEST_POST, COAP_REQUEST_DELETE, COAP_REQUEST_FETCH,
                      COAP_REQUEST_PATCH, COAP_REQUEST_IPATCH})
    coap_register_request_handler(any, method, &ContextCallbacks::on_request);
  coap_add_resource(ctx_, any);
  loop_.attach(ctx_);
}

CoapContext::~CoapContext() {
  loop_.detach(ctx_);
  // libcoap NACKs what is still in flight while it frees the context: those callbacks belong to
  // callers that may be gone already, so nobody is told.
  pending_.clear();
  // The security callbacks must not report the sessions libcoap closes while freeing.
  secure_.reset();
  secure_clients_.clear();
  coap_free_context(ctx_);
}

void CoapContext::on_request(RequestHandler handler) { handler_ = std::move(handler); }

void CoapContext::accept_secure(Credentials credentials) {
  if (!secure_clients_.empty())
    throw std::logic_error("accept_secure on a context with secure client sessions: libcoap 4.3.1 keeps one "
                           "(D)TLS set-up per context; use a separate CoapContext for the server");
  secure_.reset();
  secure_ = std::make_unique<SecureServerSetup>(ctx_, std::move(credentials), trace_, channel_);
  secure_->use_loop(loop_);
}

void CoapContext::accept_psk_key(Bytes key) {
  if (!secure_) throw std::logic_error("accept_psk_key: this context has no server credentials");
  secure_->accept_psk_key(std::move(key));
}

const std::vector<HandshakeReport>& CoapContext::handshakes() const {
  static const std::vector<HandshakeReport> none;
  return secure_ ? secure_->handshakes() : none;
}

BoundAddress CoapContext::listen(const std::string& host, std::uint16_t port, Transport transport) {
  std::string where = BoundAddress{host, port}.authority() + " (" + std::string(scheme_of(transport)) + ")";
  if (!transport_supported(transport))
    throw std::runtime_error("cannot listen on " + where + ": this libcoap build does not support it");
  if (is_secure(transport) && !secure_)
    throw std::runtime_error("cannot listen on " + where + ": no server credentials (call accept_secure first)");
  coap_address_t addr = resolve(host, port);
  coap_endpoint_t* ep = coap_new_endpoint(ctx_, &addr, protocol_of(transport));
  if (!ep) throw std::runtime_error("cannot bind CoAP endpoint on " + where);
  endpoints_.push_back(ep);
  BoundAddress bound{host, port_of_endpoint(ep)};
  note_listener(bound.port, service_of(transport));
  return bound;
}

coap_session_t* CoapContext::connect(const std::string& host, std::uint16_t port, Transport transport,
                                     const Credentials& client) {
  std::string where = BoundAddress{host, port}.authority() + " (" + std::string(scheme_of(transport)) + ")";
  if (!transport_supported(transport))
    throw std::runtime_error("cannot connect to " + where + ": this libcoap build does not support it");
  if (is_secure(transport) != (client.mode != SecurityMode::NoSec))
    throw std::invalid_argument("cannot connect to " + where + " with " + std::string(to_string(client.mode)) +
                                " credentials: " +
                                (is_secure(transport) ? "a secure transport needs PSK, RPK or X.509 credentials"
                                                      : "a plain transport carries no credentials"));
  coap_address_t addr = resolve(host, port);
  if (is_secure(transport)) {
    if (secure_)
      throw std::logic_error("cannot connect to " + where + " from a context with server credentials: libcoap 4.3.1 "
                             "keeps one (D)TLS set-up per context; use a separate CoapContext for clients");
    auto secure = std::make_unique<SecureClientSession>(ctx_, loop_, addr, where, transport, client, trace_, channel_);
    coap_session_t* session = secure->session();
    secure_clients_.push_back(std::move(secure));
    return session;
  }
  coap_session_t* session = coap_new_client_session(ctx_, nullptr, &addr, protocol_of(transport));
  if (!session) throw std::runtime_error("cannot open a CoAP session to " + where);
  return session;
}

void CoapContext::set_transmission(coap_session_t* session, double ack_timeout_s, std::uint16_t max_retransmit,
                                   double ack_random_factor) {
  // libcoap 4.3.1 silently keeps its 2 s default for an ACK_TIMEOUT under 1 s: say so, use 1 s.
  if (ack_timeout_s < 1.0) {
    spdlog::warn("ACK_TIMEOUT {} s is below the 1 s libcoap 4.3.1 accepts; using 1 s", ack_timeout_s);
    ack_timeout_s = 1.0;
  }
  auto whole = static_cast<std::uint16_t>(ack_timeout_s);
  auto thousandths = static_cast<std::uint16_t>((ack_timeout_s - whole) * 1000.0 + 0.5);
  coap_session_set_ack_timeout(session, coap_fixed_point_t{whole, thousandths});
  const auto factor = static_cast<std::uint32_t>(std::max(1.0, ack_random_factor) * 1000.0 + 0.5);
  coap_session_set_ack_random_factor(
      session, coap_fixed_point_t{static_cast<std::uint16_t>(factor / 1000), static_cast<std::uint16_t>(factor % 1000)});
  coap_session_set_max_retransmit(session, max_retransmit);
}

namespace {

// coap_print_addr formats with sprintf and inet_ntop (about 2,500 instructions), and every
// message of a block-wise transfer names its peer and local address: the few addresses in use
// are kept, compared by their bytes.
std::string address_text(const coap_address_t* address) {
  struct Known {
    coap_address_t address;
    std::string text;
  };
  thread_local std::array<Known, 16> known{};
  thread_local std::size_t next = 0;
  auto same = [address](const Known& k) {
    return !k.text.empty() && k.address.size == address->size &&
           std::memcmp(&k.address.addr, &address->addr, address->size) == 0;
  };
  for (const auto& k : known)
    if (same(k)) return k.text;
  unsigned char buf[INET6_ADDRSTRLEN + 8];
  size_t n = coap_print_addr(address, buf, sizeof buf);
  auto& slot = known[next++ % known.size()];
  slot.address = *address;
  slot.text.assign(reinterpret_cast<char*>(buf), n);
  return slot.text;
}

}  // namespace

std::string CoapContext::local_of(const coap_session_t* session) {
  return address_text(coap_session_get_addr_local(session));
}

std::string CoapContext::peer_of(const coap_session_t* session) {
  return address_text(coap_session_get_addr_remote(session));
}

Bytes CoapContext::send(coap_session_t* session, const OutgoingRequest& request, ResponseCallback callback,
                        bool persistent) {
  coap_pdu_t* pdu = coap_pdu_init(request.confirmable ? COAP_MESSAGE_CON : COAP_MESSAGE_NON,
                                  static_cast<coap_pdu_code_t>(request.method.raw()), coap_new_message_id(session),
                                  pdu_size_for(session));
  if (!pdu) throw std::runtime_error("libcoap could not allocate a request");
  std::uint8_t token[8];
  size_t token_length = 0;
  if (request.token && request.token->size() <= sizeof token) {
    token_length = request.token->size();
    std::copy(request.token->begin(), request.token->end(), token);
  } else {
    coap_session_new_token(session, &token_length, token);
  }
  coap_add_token(pdu, token_length, token);
  if (request.observe) add_uint_option(pdu, COAP_OPTION_OBSERVE, *request.observe);
  for (const auto& segment : request.uri_path) add_string_option(pdu, COAP_OPTION_URI_PATH, segment);
  if (request.content_format) add_uint_option(pdu, COAP_OPTION_CONTENT_FORMAT, *request.content_format);
  for (const auto& query : request.uri_query) add_string_option(pdu, COAP_OPTION_URI_QUERY, query);
  if (request.accept) add_uint_option(pdu, COAP_OPTION_ACCEPT, *request.accept);
  if (request.block2) add_uint_option(pdu, COAP_OPTION_BLOCK2, request.block2->encode());
  if (request.block1) add_uint_option(pdu, COAP_OPTION_BLOCK1, request.block1->encode());
  if (request.size2) add_uint_option(pdu, COAP_OPTION_SIZE2, *request.size2);
  if (request.size1) add_uint_option(pdu, COAP_OPTION_SIZE1, *request.size1);
  if (!request.payload.empty() && !coap_add_data(pdu, request.payload.size(), request.payload.data())) {
    coap_delete_pdu(pdu);
    throw std::runtime_error("request payload of " + std::to_string(request.payload.size()) +
                             " bytes does not fit one CoAP message; use block-wise transfer");
  }
  Message sent = Message::from_pdu(pdu);
  Bytes key(token, token + token_length);
  pending_[key] = Pending{std::move(callback), persistent};
  trace_.record(Direction::Sent, channel_, peer_of(session), local_of(session), sent);
  if (coap_send(session, pdu) == COAP_INVALID_MID) {
    pending_.erase(key);
    throw std::runtime_error("libcoap could not send " + sent.summary());
  }
  return key;
}

void CoapContext::notify(coap_session_t* session, const Bytes& token, std::uint32_t sequence, const Reply& content,
                         bool confirmable) {
  coap_pdu_t* pdu = coap_pdu_init(confirmable ? COAP_MESSAGE_CON : COAP_MESSAGE_NON,
                                  static_cast<coap_pdu_code_t>(content.code.raw()), coap_new_message_id(session),
                                  pdu_size_for(session));
  if (!pdu) throw std::runtime_error("libcoap could not allocate a notification");
  coap_add_token(pdu, token.size(), token.data());
  Reply notification = content;
  notification.observe = sequence;
  add_reply(pdu, notification);
  trace_.record(Direction::Sent, channel_, peer_of(session), local_of(session), Message::from_pdu(pdu));
  if (coap_send(session, pdu) == COAP_INVALID_MID) throw std::runtime_error("libcoap could not send a notification");
}

void CoapContext::forget(const Bytes& token) { pending_.erase(token); }

}  // namespace fc::coap
