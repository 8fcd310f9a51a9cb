// Loopback firmware repositories for pull tests: a libcoap server pumped from the test's own
// thread (Block2 by hand, so faults can be injected per block; UDP, DTLS, TCP or TLS) and a
// cpp-httplib server in a thread (HTTP, or HTTPS with a fixture certificate). Both bind
// 127.0.0.1 on an ephemeral port.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "suite/common/bytes.h"

struct coap_context_t;
struct coap_resource_t;
struct coap_session_t;
struct coap_pdu_t;
struct coap_string_t;

namespace httplib {
class Server;
}

namespace fc::refclient::testing {

struct CoapServerSetup;  // the libcoap server credentials, in the .cpp

// How a CoapRepository is reached: the transport of its URI scheme and, for coaps and
// coaps+tcp, the credentials it serves with (fixture files under fixtures/pki).
struct RepositorySecurity {
  enum class Transport { Udp, Dtls, Tcp, Tls } transport = Transport::Udp;
  std::string psk_identity;  // PSK: only this identity, with this key
  Bytes psk_key;
  std::string rpk_private_key_file;  // RPK: the repository's SEC1 key pair
  std::string certificate_file;      // X.509: the repository's certificate and key
  std::string private_key_file;
};

class CoapRepository {
 public:
  static constexpr const char* kPath = "fw/pkg.bin";

  explicit CoapRepository(Bytes package, int max_szx = 4);  // 256-byte blocks by default
  CoapRepository(Bytes package, int max_szx, RepositorySecurity security);
  ~CoapRepository();
  CoapRepository(const CoapRepository&) = delete;
  CoapRepository& operator=(const CoapRepository&) = delete;

  std::string uri(const std::string& path = kPath) const;
  std::uint16_t port() const { return port_; }
  // Processes pending requests; does nothing once the repository went silent.
  void poll();

  // Faults, each taking effect once `blocks` blocks were served.
  std::optional<std::size_t> silent_after;       // stop answering (datagrams pile up unread)
  std::optional<std::size_t> etag_change_after;  // later blocks carry another ETag
  std::optional<std::size_t> wrong_block_after;  // later answers carry the next block's number
  std::optional<std::size_t> ack_only_after;     // later requests get an empty ACK, never the response

  std::size_t blocks_served() const { return blocks_served_; }
  std::size_t requests_seen() const { return requests_seen_; }
  bool first_request_asked_size2() const { return first_request_asked_size2_; }

  void handle_get(const coap_pdu_t* request, coap_pdu_t* response);

 private:
  Bytes package_;
  int max_szx_;
  RepositorySecurity security_;
  std::string rpk_pem_;
  std::unique_ptr<CoapServerSetup> setup_;  // libcoap points into it while context_ lives
  coap_context_t* context_ = nullptr;
  std::uint16_t port_ = 0;
  std::size_t blocks_served_ = 0;
  std::size_t requests_seen_ = 0;
  bool first_request_asked_size2_ = false;
};

class HttpRepository {
 public:
  static constexpr const char* kPath = "/fw/pkg.bin";

  explicit HttpRepository(Bytes package);
  // HTTPS with fixtures/pki/<certificate_name>.{crt,key}.pem; a non-empty `client_ca_file`
  // makes the server require a client certificate that chains to it.
  HttpRepository(Bytes package, const std::string& certificate_name, const std::string& client_ca_file = {});
  ~HttpRepository();
  HttpRepository(const HttpRepository&) = delete;
  HttpRepository& operator=(const HttpRepository&) = delete;

  std::string uri(const std::string& path = kPath) const;

  // Faults, set before the download starts. The full Content-Length is always announced.
  std::optional<std::size_t> close_after_bytes;  // then the connection closes
  std::optional<std::size_t> stall_after_bytes;  // then nothing more until the server stops
  std::optional<int> status;                     // answered instead of the package, without a body

  int requests_served() const { return requests_.load(); }

 private:
  void serve();

  Bytes package_;
  bool secure_ = false;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace fc::refclient::testing
