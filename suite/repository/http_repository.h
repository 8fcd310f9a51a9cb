// The repository's HTTP/1.1 side (cpp-httplib, its own threads), plain or over TLS: GET with
// Content-Length, ETag, single Range, If-Match and If-Range (RFC 9110 §13.1.1, §13.1.5, §14),
// applying HTTP impairments. cpp-httplib 0.11 leaves a body from a content provider without
// length alone (no Content-Range, no slicing; it answers 416 only to a Range it cannot parse),
// so ranges, validators and 412 are all done here.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include "suite/coap/trace.h"
#include "suite/repository/package_store.h"
#include "suite/repository/transfer_counters.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace fc::repository {

struct RangeRequest {
  enum class Kind { Whole, Part, Unsatisfiable };
  Kind kind = Kind::Whole;
  std::uint64_t first = 0;  // Part: inclusive bounds within the total
  std::uint64_t last = 0;
};

// One "bytes=" range over `total` (RFC 9110 §14.1.2). A header that does not parse, or asks for
// several ranges, asks for the whole: a server may ignore Range (§14.2).
RangeRequest parse_range(std::string_view header, std::uint64_t total);
// If-Match with strong comparison (RFC 9110 §13.1.1): "*" or one of the listed tags; weak tags
// (W/"…") never match.
bool if_match_allows(std::string_view header, std::string_view quoted_etag);
// If-Range (RFC 9110 §13.1.5): the range is served only when the header is the current strong
// ETag; a weak tag, another tag or a date (the repository sends no Last-Modified) asks for the
// whole representation instead.
bool if_range_allows(std::string_view header, std::string_view quoted_etag);

// The server side of https://: its certificate (chain) and private key, PEM. Clients are not
// asked for a certificate.
struct TlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

class HttpRepository {
 public:
  // Binds `bind`:`port` (0: a free port) and serves from its own thread until destroyed; with
  // `tls`, serves https. Throws std::runtime_error naming the address, or the file TLS cannot use.
  HttpRepository(coap::Trace& trace, PackageStore& store, TransferCounters& counters, const std::string& bind,
                 std::uint16_t port, std::optional<TlsFiles> tls = std::nullopt);
  ~HttpRepository();
  HttpRepository(const HttpRepository&) = delete;
  HttpRepository& operator=(const HttpRepository&) = delete;

  std::uint16_t port() const { return port_; }
  bool secure() const { return secure_; }

  // Ends the stall of the package at `path` now: a body paused at it goes on at once (or closes,
  // for a package replaced meanwhile), and a body that reaches it later does not pause. The
  // stall's duration stays the bound for a stall nobody releases. Any thread.
  void release_stalls(const std::string& path);
  // A path published anew stalls again.
  void rearm_stalls(const std::string& path);

 private:
  coap::Trace& trace_;
  PackageStore& store_;
  TransferCounters& counters_;
  bool secure_ = false;
  std::string channel_;  // "repository-http" or "repository-https"
  std::unique_ptr<httplib::Server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::set<std::string> released_;  // paths whose stall was released (under mutex_)

  void handle(const httplib::Request& request, httplib::Response& response);
  // Waits `duration` unless the repository is shutting down; false when it is.
  bool pause(Duration duration);
  enum class StallEnd { RanOut, Released, Stopping };
  // Waits out the stall of the package at `path`: its `duration`, unless released or shut down.
  StallEnd stall(const std::string& path, Duration duration);
  void note(std::string text) { trace_.note(channel_, std::move(text)); }
};

}  // namespace fc::repository
