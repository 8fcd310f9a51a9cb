#include "suite/coap/security.h"

#include <coap3/coap.h>
#include <gnutls/gnutls.h>

#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "suite/coap/event_loop.h"
#include "suite/coap/key_material.h"
#include "suite/coap/trace.h"

namespace fc::coap {

using detail::CertificateNames;
using detail::check_private_key_pem;
using detail::check_psk;
using detail::check_x509;
using detail::names_of;
using detail::read_text;
using detail::sha256_prefix;
using detail::spki_der;

namespace {

bool libcoap_uses_gnutls() { return coap_get_tls_library_version()->type == COAP_TLS_LIBRARY_GNUTLS; }

std::string transport_name(const coap_session_t* session) {
  return coap_session_get_proto(session) == COAP_PROTO_TLS ? "TLS" : "DTLS";
}

std::string address_of(const coap_session_t* session) {
  unsigned char buf[INET6_ADDRSTRLEN + 8];
  size_t n = coap_print_addr(coap_session_get_addr_remote(session), buf, sizeof buf);
  return std::string(reinterpret_cast<char*>(buf), n);
}

// What a verification concluded about the peer's credentials.
struct Verdict {
  bool accept = false;
  std::string presented;
  std::string reason;
  gnutls_alert_description_t alert = GNUTLS_A_BAD_CERTIFICATE;
};

// One handshake under way on either side.
struct Progress {
  Transport transport = Transport::Dtls;
  std::string peer;
  std::string presented;
  std::string reason;
  bool identity_accepted = false;
  bool verified = false;
  bool certificate_message = false;  // the peer's Certificate message arrived (maybe empty)
  bool armed = false;
  bool reported = false;
  int finished = 0;  // Finished messages sent or received: two make a completed handshake
};

}  // namespace

// One end's credentials, what it has seen of each handshake, and the reports. Shared by the
// server setup (many sessions) and a client session (one).
struct SecuritySide : std::enable_shared_from_this<SecuritySide> {
  bool server = true;
  Credentials credentials;
  Bytes pinned_spki;
  Trace* trace = nullptr;
  std::string channel;
  EventLoop* loop = nullptr;
  std::map<coap_session_t*, Progress> sessions;
  std::vector<HandshakeReport> reports;

  // What libcoap keeps pointers to for as long as the context lives.
  coap_bin_const_t psk_key_bin{0, nullptr};
  std::string certificate_path, private_key_path, ca_path, rpk_key_pem, rpk_public_pem;

  std::string peer_word() const { return server ? "client" : "server"; }

  Progress& track(coap_session_t* session) {
    auto [it, fresh] = sessions.try_emplace(session);
    if (fresh) {
      it->second.transport = coap_session_get_proto(session) == COAP_PROTO_TLS ? Transport::Tls : Transport::Dtls;
      it->second.peer = address_of(session);
    }
    return it->second;
  }

  void report(coap_session_t* session, Progress& p, bool established, std::string reason) {
    if (p.reported) return;
    p.reported = true;
    HandshakeReport r;
    r.time = Clock::now();
    r.peer = p.peer;
    r.transport = p.transport;
    r.established = established;
    r.presented = p.presented;
    r.reason = established ? std::string() : std::move(reason);
    std::string text = transport_name(session) + " handshake " + (server ? "from " : "with ") + r.peer;
    if (established) {
      std::string who = !server && credentials.mode == SecurityMode::Psk ? "identity " : peer_word() + " presented ";
      text += " established (" + std::string(to_string(credentials.mode)) +
              (r.presented.empty() ? "" : ", " + who + r.presented) + ")";
    } else {
      text += " failed: " + r.reason;
    }
    if (trace) trace->note(channel, text);
    reports.push_back(std::move(r));
  }

  // Why a handshake that ended without completing ended, from what was seen of it.
  std::string inferred_reason(const Progress& p) const {
    if (!p.reason.empty()) return p.reason;
    if (credentials.mode == SecurityMode::Psk) {
      if (server && p.identity_accepted)
        return "PSK key mismatch for identity \"" + credentials.psk_identity + "\" (the handshake's Finished check failed)";
      if (server) return "the handshake ended before the client presented a PSK identity";
      return "the server refused the handshake for PSK identity \"" + credentials.psk_identity +
             "\" (unknown identity or key mismatch) or did not answer";
    }
    std::string credential = credentials.mode == SecurityMode::Rpk ? "raw public key" : "certificate";
    if (!p.verified && server && p.certificate_message) return "the client presented no " + credential;
    if (!p.verified && server)
      return "the handshake ended before the client's " + credential +
             " was accepted (none presented, or refused by libcoap's own checks)";
    return server ? "the client ended the handshake before it completed"
                  : "the server refused the handshake or did not complete it";
  }

  void finish(coap_session_t* session, bool established) {
    auto it = sessions.find(session);
    if (it == sessions.end()) return;
    report(session, it->second, established, established ? std::string() : inferred_reason(it->second));
  }

  // Completed handshakes libcoap did not announce (it has no DTLS "connected" event in 4.3.1).
  void refresh() {
    for (auto& [session, p] : sessions)
      if (!p.reported && coap_session_get_state(session) == COAP_SESSION_STATE_ESTABLISHED)
        report(session, p, true, {});
  }

  Verdict judge_raw_key(ByteView presented) const {
    Verdict v;
    Bytes spki = spki_der(presented, GNUTLS_X509_FMT_DER);
    if (spki.empty()) spki.assign(presented.begin(), presented.end());
    v.presented = "raw public key " + sha256_prefix(spki);
    if (credentials.mode != SecurityMode::Rpk) {
      v.reason = "the " + peer_word() + " presented a " + v.presented + " where an X.509 certificate is required";
      return v;
    }
    if (!pinned_spki.empty() && spki != pinned_spki) {
      v.reason = v.presented + " is not the pinned " + (server ? "device" : "server") + " key " +
                 sha256_prefix(pinned_spki);
      v.alert = GNUTLS_A_ACCESS_DENIED;
      return v;
    }
    v.accept = true;
    return v;
  }

  // `status` is GnuTLS's verification of the chain against the configured CA, when checked.
  Verdict judge_certificate(ByteView der, bool checked, unsigned status) const {
    Verdict v;
    CertificateNames names = names_of(der);
    v.presented = names.cn.empty() ? "a certificate without CN" : names.cn;
    std::string subject = (server ? "certificate CN=" : "server certificate CN=") + names.cn;
    if (credentials.mode != SecurityMode::X509) {
      v.reason = "the " + peer_word() + " presented an X.509 certificate (CN=" + names.cn +
                 ") where a raw public key is required";
      return v;
    }
    if (checked && status != 0) {
      if (status & (GNUTLS_CERT_SIGNER_NOT_FOUND | GNUTLS_CERT_SIGNER_NOT_CA | GNUTLS_CERT_SIGNATURE_FAILURE)) {
        v.reason = subject + " is not signed by the configured CA (" + credentials.ca.filename().string() +
                   "); its issuer is \"" + names.issuer + "\"";
        v.alert = GNUTLS_A_UNKNOWN_CA;
      } else if (status & GNUTLS_CERT_EXPIRED) {
        v.reason = subject + " has expired";
        v.alert = GNUTLS_A_CERTIFICATE_EXPIRED;
      } else if (status & GNUTLS_CERT_NOT_ACTIVATED) {
        v.reason = subject + " is not valid yet";
        v.alert = GNUTLS_A_CERTIFICATE_EXPIRED;
      } else {
        gnutls_datum_t text{nullptr, 0};
        gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
        v.reason = subject + " failed verification: " +
                   (text.data ? std::string(reinterpret_cast<const char*>(text.data), text.size) : "status " + std::to_string(status));
        gnutls_free(text.data);
      }
      return v;
    }
    v.accept = true;
    return v;
  }

  // Records the verdict; a refusal is reported at once, while the session still exists.
  bool conclude(coap_session_t* session, const Verdict& v) {
    Progress& p = track(session);
    p.presented = v.presented;
    p.verified = v.accept;
    if (!v.accept) {
      p.reason = v.reason;
      report(session, p, false, v.reason);
    }
    return v.accept;
  }

  void arm(coap_session_t* session);
};

namespace {

std::mutex registry_mutex;
std::map<const coap_context_t*, std::weak_ptr<SecuritySide>> server_sides;
std::map<const coap_session_t*, std::weak_ptr<SecuritySide>> client_sides;

std::shared_ptr<SecuritySide> side_of(const coap_session_t* session) {
  if (!session) return nullptr;
  std::lock_guard lock(registry_mutex);
  if (coap_session_get_type(session) == COAP_SESSION_TYPE_CLIENT) {
    auto it = client_sides.find(session);
    return it == client_sides.end() ? nullptr : it->second.lock();
  }
  auto it = server_sides.find(coap_session_get_context(session));
  return it == server_sides.end() ? nullptr : it->second.lock();
}

coap_session_t* session_of(gnutls_session_t g) { return static_cast<coap_session_t*>(gnutls_transport_get_ptr(g)); }

}  // namespace

// The C callbacks libcoap and GnuTLS call, routed to the side that owns the session.
struct SecurityCallbacks {
  static const coap_bin_const_t* on_psk_identity(coap_bin_const_t* identity, coap_session_t* session, void*) {
    auto side = side_of(session);
    if (!side) return nullptr;
    Progress& p = side->track(session);
    std::string presented(reinterpret_cast<const char*>(identity->s), identity->length);
    p.presented = printable(to_bytes(presented));
    if (presented != side->credentials.psk_identity) {
      p.reason = "unknown PSK identity \"" + p.presented + "\" (expected \"" + side->credentials.psk_identity + "\")";
      side->report(session, p, false, p.reason);
      return nullptr;
    }
    p.identity_accepted = true;
    side->arm(session);
    return &side->psk_key_bin;
  }

  // libcoap's own check of a certificate or raw key that passed its verification (used when
  // the session could not be inspected in time; otherwise verify_peer below decides).
  static int on_validated(const char* cn, const std::uint8_t* der, size_t length, coap_session_t* session,
                          unsigned depth, int, void*) {
    auto side = side_of(session);
    if (!side) return 0;
    if (depth > 0) return 1;
    ByteView presented(der, length);
    bool raw = cn && std::strcmp(cn, COAP_DTLS_RPK_CERT_CN) == 0;
    Verdict v = raw ? side->judge_raw_key(presented) : side->judge_certificate(presented, false, 0);
    return side->conclude(session, v) ? 1 : 0;
  }

  static int verify_peer(gnutls_session_t g) {
    coap_session_t* session = session_of(g);
    auto side = side_of(session);
    if (!side) return -1;
    unsigned count = 0;
    const gnutls_datum_t* chain = gnutls_certificate_get_peers(g, &count);
    Verdict v;
    if (!chain || count == 0) {
      v.reason = "the " + side->peer_word() + " presented no " +
                 (side->credentials.mode == SecurityMode::Rpk ? "raw public key" : "certificate");
    } else {
      ByteView first(chain[0].data, chain[0].size);
      if (gnutls_certificate_type_get2(g, GNUTLS_CTYPE_PEERS) == GNUTLS_CRT_RAW) {
        v = side->judge_raw_key(first);
      } else {
        bool check = side->server || !side->credentials.ca.empty();
        unsigned status = 0;
        if (check && gnutls_certificate_verify_peers2(g, &status) < 0) status = GNUTLS_CERT_INVALID;
        v = side->judge_certificate(first, check, status);
      }
    }
    if (side->conclude(session, v)) return 0;
    gnutls_alert_send(g, GNUTLS_AL_FATAL, v.alert);
    return -1;
  }

  // After each handshake message: two Finished make a completed handshake; a Certificate
  // message that GnuTLS then refuses before any verification was an empty one.
  static int on_message(gnutls_session_t g, unsigned type, unsigned, unsigned incoming, const gnutls_datum_t*) {
    coap_session_t* session = session_of(g);
    auto side = side_of(session);
    if (!side) return 0;
    auto it = side->sessions.find(session);
    if (it == side->sessions.end()) return 0;
    if (type == GNUTLS_HANDSHAKE_CERTIFICATE_PKT && incoming) it->second.certificate_message = true;
    if (type == GNUTLS_HANDSHAKE_FINISHED && ++it->second.finished == 2) side->report(session, it->second, true, {});
    return 0;
  }

  // GnuTLS's audit log, as libcoap writes it, plus the one line that tells a wrong DTLS PSK:
  // the server silently drops a Finished it cannot decrypt.
  static void on_audit(gnutls_session_t g, const char* text) {
    coap_session_t* session = g ? session_of(g) : nullptr;
    if (LOG_WARNING <= coap_get_log_level())
      coap_log_impl(LOG_WARNING, "** %s: %s", session ? coap_session_str(session) : "(null)", text);
    if (!session || !std::strstr(text, "invalid decryption")) return;
    auto side = side_of(session);
    if (!side || !side->server || side->credentials.mode != SecurityMode::Psk) return;
    auto it = side->sessions.find(session);
    if (it != side->sessions.end() && it->second.identity_accepted && !it->second.reported &&
        coap_session_get_state(session) != COAP_SESSION_STATE_ESTABLISHED)
      side->report(session, it->second, false, side->inferred_reason(it->second));
  }

  static int on_event(coap_session_t* session, coap_event_t event) {
    auto side = side_of(session);
    if (!side) return 0;
    coap_proto_t proto = coap_session_get_proto(session);
    if (proto != COAP_PROTO_DTLS && proto != COAP_PROTO_TLS) return 0;
    switch (event) {
      case COAP_EVENT_SERVER_SESSION_NEW:
      case COAP_EVENT_TCP_CONNECTED:
        side->track(session);
        side->arm(session);
        break;
      case COAP_EVENT_DTLS_CONNECTED:
      case COAP_EVENT_SESSION_CONNECTED:
        side->finish(session, true);
        break;
      case COAP_EVENT_DTLS_CLOSED:
      case COAP_EVENT_DTLS_ERROR:
      case COAP_EVENT_TCP_CLOSED:
      case COAP_EVENT_TCP_FAILED:
      case COAP_EVENT_SESSION_CLOSED:
      case COAP_EVENT_SESSION_FAILED:
      case COAP_EVENT_SERVER_SESSION_DEL: {
        side->refresh();
        auto it = side->sessions.find(session);
        if (it == side->sessions.end()) break;
        side->finish(session, it->second.finished >= 2 && it->second.reason.empty());
        if (side->server) side->sessions.erase(it);
        break;
      }
      default: break;
    }
    side->refresh();
    return 0;
  }
};

// GnuTLS lets a session's certificate check be replaced before the peer's certificate arrives:
// then fotacheck sees every certificate, also the ones libcoap would refuse without naming.
// libcoap creates a DTLS server session's GnuTLS state only after announcing the session, so
// arming then waits for the loop's next turn (the client's certificate cannot arrive sooner).
void SecuritySide::arm(coap_session_t* session) {
  auto it = sessions.find(session);
  if (it == sessions.end() || it->second.armed || !libcoap_uses_gnutls()) return;
  coap_tls_library_t library;
  auto* g = static_cast<gnutls_session_t>(coap_session_get_tls(session, &library));
  if (g && library == COAP_TLS_LIBRARY_GNUTLS) {
    gnutls_session_set_verify_function(g, &SecurityCallbacks::verify_peer);
    gnutls_handshake_set_hook_function(g, GNUTLS_HANDSHAKE_ANY, GNUTLS_HOOK_POST, &SecurityCallbacks::on_message);
    it->second.armed = true;
    return;
  }
  if (!loop) return;
  std::weak_ptr<SecuritySide> weak = weak_from_this();
  loop->defer([weak, session] {
    if (auto side = weak.lock()) side->arm(session);
  });
}

namespace {

void install_audit_hook() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (libcoap_uses_gnutls()) gnutls_global_set_audit_log_function(&SecurityCallbacks::on_audit);
  });
}

// Fills `side` and the libcoap PKI set-up (RPK or X.509) that points into it.
coap_dtls_pki_t pki_setup(SecuritySide& side) {
  const Credentials& c = side.credentials;
  coap_dtls_pki_t pki{};
  pki.version = COAP_DTLS_PKI_SETUP_VERSION;
  pki.validate_cn_call_back = &SecurityCallbacks::on_validated;
  // Certificate authority names are not sent, so that a client offers whatever certificate it has
  // and a refusal can name it.
  pki.check_common_ca = 0;
  if (c.mode == SecurityMode::Rpk) {
    if (c.rpk_private_key.empty()) throw std::runtime_error("rpk_private_key: RPK needs this side's key pair");
    side.rpk_key_pem = read_text(c.rpk_private_key, "rpk_private_key");
    check_private_key_pem(side.rpk_key_pem, c.rpk_private_key);
    side.rpk_public_pem = c.rpk_public_key.empty() ? side.rpk_key_pem : read_text(c.rpk_public_key, "rpk_public_key");
    if (!c.trusted_public_key.empty()) {
      std::string pem = read_text(c.trusted_public_key, "trusted_public_key");
      side.pinned_spki = spki_der(ByteView(reinterpret_cast<const unsigned char*>(pem.data()), pem.size()), GNUTLS_X509_FMT_PEM);
      if (side.pinned_spki.empty())
        throw std::runtime_error("trusted_public_key: '" + c.trusted_public_key.string() + "' is not a PEM public key");
    }
    pki.is_rpk_not_cert = 1;
    pki.verify_peer_cert = 1;
    // libcoap 4.3.1 takes raw keys only from memory; an "EC PRIVATE KEY" serves for both halves.
    pki.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
    pki.pki_key.key.pem_buf.public_cert = reinterpret_cast<const std::uint8_t*>(side.rpk_public_pem.c_str());
    pki.pki_key.key.pem_buf.public_cert_len = side.rpk_public_pem.size() + 1;
    pki.pki_key.key.pem_buf.private_key = reinterpret_cast<const std::uint8_t*>(side.rpk_key_pem.c_str());
    pki.pki_key.key.pem_buf.private_key_len = side.rpk_key_pem.size() + 1;
    return pki;
  }
  check_x509(c, side.server, side.server);
  side.certificate_path = c.certificate.string();
  side.private_key_path = c.private_key.string();
  side.ca_path = c.ca.string();
  pki.verify_peer_cert = side.server || !c.ca.empty() ? 1 : 0;
  pki.cert_chain_validation = 1;
  pki.cert_chain_verify_depth = 3;
  pki.check_cert_revocation = 0;
  pki.pki_key.key_type = COAP_PKI_KEY_PEM;
  pki.pki_key.key.pem.public_cert = side.certificate_path.empty() ? nullptr : side.certificate_path.c_str();
  pki.pki_key.key.pem.private_key = side.private_key_path.empty() ? nullptr : side.private_key_path.c_str();
  pki.pki_key.key.pem.ca_file = side.ca_path.empty() ? nullptr : side.ca_path.c_str();
  return pki;
}

}  // namespace

struct SecureServerSetup::State : SecuritySide {
  coap_context_t* ctx = nullptr;
};

SecureServerSetup::SecureServerSetup(coap_context_t* ctx, Credentials credentials, Trace& trace, std::string channel)
    : state_(std::make_shared<State>()) {
  if (!coap_dtls_is_supported()) throw std::runtime_error("this libcoap build has no (D)TLS support");
  State& s = *state_;
  s.ctx = ctx;
  s.server = true;
  s.credentials = std::move(credentials);
  s.trace = &trace;
  s.channel = std::move(channel);
  const Credentials& c = s.credentials;
  switch (c.mode) {
    case SecurityMode::NoSec:
      throw std::runtime_error("server credentials: mode NoSec; a secure endpoint needs PSK, RPK or X.509");
    case SecurityMode::Psk: {
      check_psk(c);
      s.psk_key_bin = coap_bin_const_t{c.psk_key.size(), c.psk_key.data()};
      coap_dtls_spsk_t spsk{};
      spsk.version = COAP_DTLS_SPSK_SETUP_VERSION;
      spsk.validate_id_call_back = &SecurityCallbacks::on_psk_identity;
      spsk.psk_info.key = s.psk_key_bin;
      if (!coap_context_set_psk2(ctx, &spsk)) throw std::runtime_error("libcoap refused the server PSK set-up");
      break;
    }
    case SecurityMode::Rpk:
    case SecurityMode::X509: {
      coap_dtls_pki_t pki = pki_setup(s);
      if (!coap_context_set_pki(ctx, &pki))
        throw std::runtime_error("libcoap refused the server " + std::string(to_string(c.mode)) + " set-up");
      break;
    }
  }
  install_audit_hook();
  {
    std::lock_guard lock(registry_mutex);
    server_sides[ctx] = state_;
  }
  coap_register_event_handler(ctx, &SecurityCallbacks::on_event);
}

SecureServerSetup::~SecureServerSetup() {
  std::lock_guard lock(registry_mutex);
  auto it = server_sides.find(state_->ctx);
  if (it != server_sides.end() && it->second.lock() == state_) server_sides.erase(it);
}

void SecureServerSetup::accept_psk_key(Bytes key) {
  State& s = *state_;
  if (s.credentials.mode != SecurityMode::Psk) throw std::logic_error("accept_psk_key: the server is not in PSK mode");
  Credentials next = s.credentials;
  next.psk_key = std::move(key);
  check_psk(next);
  s.credentials = std::move(next);
  // Each handshake gets its key from on_psk_identity, so the next one uses this key.
  s.psk_key_bin = coap_bin_const_t{s.credentials.psk_key.size(), s.credentials.psk_key.data()};
}

const std::vector<HandshakeReport>& SecureServerSetup::handshakes() const {
  state_->refresh();
  return state_->reports;
}

void SecureServerSetup::use_loop(EventLoop& loop) { state_->loop = &loop; }
void SecureServerSetup::notice_traffic() { state_->refresh(); }

struct SecureClientSession::State : SecuritySide {
  coap_session_t* session = nullptr;
  HandshakeReport current;
};

SecureClientSession::SecureClientSession(coap_context_t* ctx, EventLoop& loop, const coap_address_t& server,
                                         std::string server_name, Transport transport, Credentials credentials,
                                         Trace& trace, std::string channel)
    : state_(std::make_shared<State>()) {
  State& s = *state_;
  s.server = false;
  s.credentials = std::move(credentials);
  s.trace = &trace;
  s.channel = std::move(channel);
  s.loop = &loop;
  const Credentials& c = s.credentials;
  coap_proto_t proto = transport == Transport::Tls ? COAP_PROTO_TLS : COAP_PROTO_DTLS;
  std::string where = "cannot connect to " + server_name + ": ";
  coap_session_t* session = nullptr;
  try {
    switch (c.mode) {
      case SecurityMode::NoSec: throw std::runtime_error("a secure transport needs PSK, RPK or X.509 credentials");
      case SecurityMode::Psk: {
        check_psk(c);
        coap_dtls_cpsk_t cpsk{};
        cpsk.version = COAP_DTLS_CPSK_SETUP_VERSION;
        cpsk.psk_info.identity = coap_bin_const_t{c.psk_identity.size(),
                                                  reinterpret_cast<const std::uint8_t*>(c.psk_identity.data())};
        cpsk.psk_info.key = coap_bin_const_t{c.psk_key.size(), c.psk_key.data()};
        session = coap_new_client_session_psk2(ctx, nullptr, &server, proto, &cpsk);
        break;
      }
      case SecurityMode::Rpk:
      case SecurityMode::X509: {
        coap_dtls_pki_t pki = pki_setup(s);
        session = coap_new_client_session_pki(ctx, nullptr, &server, proto, &pki);
        break;
      }
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(where + e.what());
  }
  if (!session) throw std::runtime_error(where + "libcoap refused (see its log)");
  s.session = session;
  install_audit_hook();
  {
    std::lock_guard lock(registry_mutex);
    client_sides[session] = state_;
  }
  coap_register_event_handler(ctx, &SecurityCallbacks::on_event);
  Progress& p = s.track(session);
  if (c.mode == SecurityMode::Psk) p.presented = c.psk_identity;
  s.arm(session);
}

SecureClientSession::~SecureClientSession() {
  std::lock_guard lock(registry_mutex);
  client_sides.erase(state_->session);
}

coap_session_t* SecureClientSession::session() const { return state_->session; }

const HandshakeReport& SecureClientSession::report() const {
  State& s = *state_;
  s.refresh();
  if (!s.reports.empty()) return s.reports.back();
  const Progress& p = s.sessions.at(s.session);
  s.current.peer = p.peer;
  s.current.transport = p.transport;
  s.current.presented = p.presented;
  s.current.reason = p.reason;
  if (s.current.reason.empty() && coap_session_get_state(s.session) == COAP_SESSION_STATE_NONE)
    s.current.reason = s.inferred_reason(p);
  s.current.established = false;
  return s.current;
}

}  // namespace fc::coap
