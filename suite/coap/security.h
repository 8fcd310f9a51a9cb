// Transports and (D)TLS credentials for libcoap contexts (RFC 7252 §9, RFC 7250, RFC 8323),
// and the account of every handshake: who presented what, and why a failed one failed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"
#include "suite/coap/transport.h"

struct coap_address_t;
struct coap_context_t;
struct coap_session_t;

namespace fc::coap {

class CoapContext;
class EventLoop;
class Trace;

// One side's credentials. The same shape serves a server (what it accepts from clients) and a
// client (what it presents and what it trusts); files are PEM.
struct Credentials {
  SecurityMode mode = SecurityMode::NoSec;

  // PSK: a client presents this identity and key; a server accepts exactly this identity
  // with this key (anything else is refused and reported as an unknown identity).
  std::string psk_identity;
  Bytes psk_key;

  // RPK (RFC 7250): this side's own EC key pair; `rpk_public_key` may be empty when the
  // private key file holds both halves. The peer must present `trusted_public_key`
  // (a SubjectPublicKeyInfo PEM); empty accepts any key (a client that does not pin).
  std::filesystem::path rpk_private_key;
  std::filesystem::path rpk_public_key;
  std::filesystem::path trusted_public_key;

  // X.509: this side's certificate (chain) and key; the peer's certificate must chain to `ca`.
  // A server always requires a client certificate; a client without `ca` does not verify.
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::filesystem::path ca;
};

// Every secure handshake a context took part in, as the reports tell it.
struct HandshakeReport {
  Clock::time_point time;
  std::string peer;                // "127.0.0.1:40001"
  Transport transport = Transport::Dtls;
  bool established = false;
  std::string presented;           // PSK identity, certificate CN or "raw public key <sha256 prefix>"
  // Why it failed, in words a vendor can act on: "unknown PSK identity \"x\" (expected \"y\")",
  // "PSK key mismatch for identity \"y\" (the handshake's Finished check failed)",
  // "raw public key sha256:ab12… is not the pinned device key sha256:cd34…",
  // "certificate CN=x is not signed by the configured CA (…)". Empty when established.
  std::string reason;
};

// Secrets must not reach a log: "<redacted 16-byte key>" and the like.
std::string redacted_key(const Bytes& key);

// Installs server-side credentials on `ctx` (before a Dtls/Tls endpoint is created) and keeps
// a HandshakeReport per handshake, written also as a note on `trace` under `channel`. Throws
// std::runtime_error naming the file or setting that cannot be used. It registers `ctx`'s libcoap
// event handler. With libcoap 4.3.1 a context holds one (D)TLS set-up: do not open secure client
// sessions from the same context. Must outlive every handshake on `ctx` it is to report.
class SecureServerSetup {
 public:
  SecureServerSetup(coap_context_t* ctx, Credentials credentials, Trace& trace, std::string channel);
  ~SecureServerSetup();
  SecureServerSetup(const SecureServerSetup&) = delete;
  SecureServerSetup& operator=(const SecureServerSetup&) = delete;

  // Handshakes still under way are not listed; one that completed is, even before any traffic.
  const std::vector<HandshakeReport>& handshakes() const;
  // PSK mode: the key later handshakes must use (the identity stays). Throws std::logic_error
  // in another mode, std::runtime_error for a key libcoap cannot take.
  void accept_psk_key(Bytes key);

 private:
  struct State;
  std::shared_ptr<State> state_;
  friend struct SecurityCallbacks;
  friend class CoapContext;
  friend struct ContextCallbacks;
  // Lets the setup inspect each new session's handshake as soon as libcoap has created it
  // (for the exact reason a certificate was refused). Without it, libcoap's own checks decide
  // and a refused certificate is reported without its name.
  void use_loop(EventLoop& loop);
  void notice_traffic();
};

// The client side: opens a Dtls/Tls session presenting `credentials` and checking the server
// against them (an RPK pin, a CA), and tells why a failed handshake failed. Must outlive the
// session (CoapContext keeps it as long as its libcoap context). Throws std::runtime_error
// naming the server, transport, file or setting when the session cannot be opened.
class SecureClientSession {
 public:
  SecureClientSession(coap_context_t* ctx, EventLoop& loop, const coap_address_t& server,
                      std::string server_name, Transport transport, Credentials credentials, Trace& trace,
                      std::string channel);
  ~SecureClientSession();
  SecureClientSession(const SecureClientSession&) = delete;
  SecureClientSession& operator=(const SecureClientSession&) = delete;

  coap_session_t* session() const;
  // The handshake so far: `established` once it succeeded, `reason` once it failed
  // (`presented` is what the server presented, or this side's PSK identity).
  const HandshakeReport& report() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  friend struct SecurityCallbacks;
};

}  // namespace fc::coap
