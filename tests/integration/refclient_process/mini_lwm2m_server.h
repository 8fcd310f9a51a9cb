// A minimal LwM2M server for driving the real client process: a libcoap context on
// 127.0.0.1:0 with /rd (2.01, Location-Path rd/1) and /rd/1 (Update, De-register) that records
// what it receives, and requests sent back on the session the client registered from. It speaks
// CoAP over UDP, DTLS, TCP or TLS; the secure ones with PSK, RPK or X.509 (client certificate
// required).
#pragma once

#include <coap3/coap.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"

namespace fc::testing {

class MiniLwm2mServer {
 public:
  struct Register {
    std::vector<std::string> queries;
    std::optional<std::uint32_t> content_format;
    std::string payload;
  };
  struct Response {
    int code = 0;  // class * 100 + detail: 205
    std::optional<std::uint32_t> content_format;
    std::optional<std::uint32_t> observe;
    std::optional<std::uint32_t> block1;
    std::string payload;
  };
  struct Request {
    coap_pdu_code_t method = COAP_REQUEST_CODE_GET;
    std::string path;  // "/3/0/3"
    std::optional<std::uint32_t> content_format;
    std::optional<std::uint32_t> accept;
    std::optional<std::uint32_t> observe;
    std::vector<std::string> queries;
    std::optional<std::uint32_t> block1;  // encoded option value
    std::optional<std::uint32_t> size1;
    std::string payload;
  };

  struct Security {
    coap_proto_t proto = COAP_PROTO_UDP;
    // PSK: only this identity is accepted, with this key.
    std::string psk_identity;
    Bytes psk_key;
    // RPK: the server's SEC1 PEM key pair (any client key is accepted and recorded).
    std::string rpk_private_key_file;
    // X.509: the server's certificate and key; client certificates must chain to `ca`.
    std::string certificate_file;
    std::string private_key_file;
    std::string ca_file;
  };

  // Binds 127.0.0.1:`port`; 0 picks a free port (a restarted server reuses the old one).
  explicit MiniLwm2mServer(std::uint16_t port = 0);
  MiniLwm2mServer(std::uint16_t port, Security security);
  ~MiniLwm2mServer();
  MiniLwm2mServer(const MiniLwm2mServer&) = delete;
  MiniLwm2mServer& operator=(const MiniLwm2mServer&) = delete;

  std::string uri() const;
  std::uint16_t port() const { return port_; }

  // Runs the server until `done()` or the budget is spent; returns done().
  bool pump_until(const std::function<bool()>& done, Duration budget);
  void pump_for(Duration budget);

  // Sends `request` to the registered client and waits (bounded) for its first response.
  // The token stays known: later notifications for it land in responses_for(token).
  std::optional<Response> send(const Request& request, Duration budget, Bytes* token = nullptr);
  const std::vector<Response>& responses_for(const Bytes& token) { return responses_[token]; }

  std::vector<Register> registers;
  std::vector<std::string> psk_identities;  // every identity a handshake offered
  std::vector<std::string> client_names;    // CN or "RPK" of each client key seen
  std::vector<std::vector<std::string>> updates;  // Uri-Query of each Update
  int deregisters = 0;
  int update_answer = 204;  // what Updates get, e.g. 404 after a "server restart"

 private:
  static void on_register(coap_resource_t*, coap_session_t*, const coap_pdu_t*, const coap_string_t*, coap_pdu_t*);
  static void on_update(coap_resource_t*, coap_session_t*, const coap_pdu_t*, const coap_string_t*, coap_pdu_t*);
  static void on_deregister(coap_resource_t*, coap_session_t*, const coap_pdu_t*, const coap_string_t*, coap_pdu_t*);
  static coap_response_t on_response(coap_session_t*, const coap_pdu_t*, const coap_pdu_t*, coap_mid_t);

  static const coap_bin_const_t* on_psk_identity(coap_bin_const_t* identity, coap_session_t* session, void* self);
  static int on_client_key(const char* cn, const uint8_t* der, size_t length, coap_session_t* session,
                           unsigned depth, int validated, void* self);

  Security security_;
  std::string rpk_pem_;
  coap_dtls_spsk_t psk_setup_{};
  coap_dtls_pki_t pki_setup_{};
  coap_bin_const_t psk_key_{};
  coap_context_t* context_ = nullptr;
  coap_session_t* client_ = nullptr;
  std::uint16_t port_ = 0;
  std::uint32_t next_token_ = 1;
  std::map<Bytes, std::vector<Response>> responses_;
};

}  // namespace fc::testing
