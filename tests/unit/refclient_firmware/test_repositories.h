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
#include <vector>

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
  std::optional<std::size_t> silent_after;       // stop answering (datagrams pile up unread); reset() to come back
  std::optional<std::size_t> etag_change_after;  // later blocks carry another ETag
  std::optional<std::size_t> wrong_block_after;  // later answers carry the next block's number
  std::optional<std::size_t> ack_only_after;     // later requests get an empty ACK, never the response

  std::size_t blocks_served() const { return blocks_served_; }
  std::size_t requests_seen() const { return requests_seen_; }
  bool first_request_asked_size2() const { return first_request_asked_size2_; }

  // Every request read, in order: the byte offset of the block it asked for and the client
  // port it came from (a client that connects again, e.g. to resume, has another one).
  struct Asked {
    std::size_t offset = 0;
    std::uint16_t client_port = 0;
  };
  const std::vector<Asked>& asked() const { return asked_; }

  void handle_get(const coap_pdu_t* request, coap_pdu_t* response, std::uint16_t client_port);

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
  std::vector<Asked> asked_;
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
  // close_after_bytes and stall_after_bytes count from the start of the package, also in a
  // range.
  std::optional<std::size_t> close_after_bytes;  // then the connection closes
  std::optional<std::size_t> stall_after_bytes;  // then nothing more until the server stops
  std::optional<int> status;                     // answered instead of the package, without a body
  std::optional<int> faulty_requests;            // the faults above hit only this many first requests

  // Validators (RFC 9110 §8.8.3), set before the download starts: the ETag header as sent
  // ("\"v1\"", or weak "W/\"v1\""); `next_etag` is the representation from the second request
  // on (the package was replaced meanwhile; same bytes, which the client cannot know). A
  // Range (cpp-httplib serves it as 206 with Content-Range) is answered 412 when its If-Match
  // does not match the current ETag by the strong comparison (§13.1.1): a weak one never does.
  std::optional<std::string> etag;
  std::optional<std::string> next_etag;

  // What each request asked, in order.
  struct Seen {
    std::string range;     // the Range header, empty when none
    std::string if_match;  // the If-Match header, empty when none
    int status = 0;        // the status answered
  };
  std::vector<Seen> seen() const;
  int ranged_requests() const;

  int requests_served() const { return requests_.load(); }
  // Package bytes handed to the connections, all requests together.
  std::size_t bytes_served() const { return bytes_served_.load(); }

 private:
  void serve();

  Bytes package_;
  mutable std::mutex seen_mutex_;
  std::vector<Seen> seen_;
  std::atomic<std::size_t> bytes_served_{0};
  bool secure_ = false;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

}  // namespace fc::refclient::testing
