// The firmware repository a device pulls from (TS E.6.2; reference §4.3): packages published by
// path over CoAP (Block2, ETag, Size2; coap, coaps, coap+tcp, coaps+tcp) and HTTP (Range,
// If-Match; http, https), each with its impairments, and counters of what was served. CoAP runs
// on the suite's event loop, HTTP and HTTPS each on their own threads.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/coap/context.h"
#include "suite/coap/security.h"
#include "suite/repository/coap_repository.h"
#include "suite/repository/http_repository.h"
#include "suite/repository/impairment.h"
#include "suite/repository/impairment_relay.h"
#include "suite/repository/package_store.h"
#include "suite/repository/transfer_counters.h"

namespace fc::repository {

struct RepositoryConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t coap_port = 0;     // 0: a free port (so for every port below)
  std::uint16_t http_port = 0;
  bool http = true;                // serve HTTP too
  // The repository's own (D)TLS credentials, independent of the LwM2M server's: what a device
  // must present on coaps:// (and coaps+tcp:// with `tcp`). NoSec: neither is served.
  coap::Credentials coaps;
  std::uint16_t coaps_port = 0;
  bool tcp = true;                 // coap+tcp:// (RFC 8323), when libcoap has TCP
  std::uint16_t coap_tcp_port = 0;
  std::uint16_t coaps_tcp_port = 0;
  // Both set: https:// with this certificate (chain) and key, PEM; clients are not asked for one.
  std::filesystem::path https_certificate;
  std::filesystem::path https_private_key;
  std::uint16_t https_port = 0;
  std::string advertised_host;     // the host put in URIs; empty: `bind`
  bool always_size2 = false;       // Size2 in every CoAP response, asked for or not
  std::uint8_t max_block_szx = 6;  // largest Block2 served: 2^(szx+4) bytes (6: 1024)
};

struct PublishedPackage {
  std::string path;       // "/fw/a.bin"
  std::string coap_uri;   // via the package's relay when it has wire impairments
  std::string http_uri;   // empty when HTTP is off
  // Scheme → URI for every scheme served ("coap", "coaps", "coap+tcp", "coaps+tcp", "http",
  // "https"); a package with wire impairments has no coaps/coap+tcp/coaps+tcp entry (see uri()).
  std::map<std::string, std::string> uris;
  Bytes etag;             // the content's ETag (before any etag-change)
  std::size_t size = 0;
  std::vector<Impairment> impairments;
};

class FirmwareRepository {
 public:
  // Binds at once; throws std::runtime_error naming the address (or credential file) when it
  // cannot, std::invalid_argument for only one of https_certificate / https_private_key.
  FirmwareRepository(coap::EventLoop& loop, coap::Trace& trace, RepositoryConfig config = {});
  ~FirmwareRepository();
  FirmwareRepository(const FirmwareRepository&) = delete;
  FirmwareRepository& operator=(const FirmwareRepository&) = delete;

  // Serves `content` at `path` ("/fw/a.bin", optionally "?query" that clients must repeat).
  // Publishing a path again replaces the package and resets its counters. Throws
  // std::invalid_argument for a path that would not survive a URI unchanged.
  PublishedPackage publish(const std::string& path, Bytes content, std::vector<Impairment> impairments = {});
  PublishedPackage publish(const std::string& path, Bytes content, std::string_view impairments) {
    return publish(path, std::move(content), parse_impairments(impairments));
  }
  // A new package under a published path's URIs, as a repository that replaces an image while
  // devices are fetching it: new content (so a new ETag) and content `impairments`; the relay in
  // front of it stays, with its own wire impairments as far as they are used, and so do the
  // path's counters (a case's re-download ratio spans both). Throws std::invalid_argument when
  // nothing is published at `path`.
  PublishedPackage replace_content(const std::string& path, Bytes content, std::vector<Impairment> impairments = {});
  void unpublish(const std::string& path);
  // Ends the stall impairments of the package at `path` now, over every scheme: a CoAP link
  // silent at its stall is back for the next datagram, an HTTP body paused at it goes on (or
  // closes, when replace_content came meanwhile), and a stall not reached yet never begins. A
  // stall nobody releases still ends after its `for=` duration: a case releases it once what it
  // waits for has come (the device rebooted, or gave the download up) and need not wait it out.
  // On the loop's thread. Nothing happens for a path without stalls.
  void release_stalls(const std::string& path);

  // Counts for the path (without query); they stay readable after unpublish.
  PackageCounters counters(const std::string& path) const;
  std::map<std::string, std::size_t> unknown_requests() const { return counters_.unknown_requests(); }
  // The relay in front of a package with wire impairments, nullptr without one.
  const ImpairmentRelay* relay(const std::string& path) const;
  // Lifts one `delay` impairment (the first equal to `pace` still in force) of the package at
  // `path` from the next datagram on, so the rest of a transfer slowed only until something fell
  // inside it flows at the link's speed; its other delays (a profile's link latency) stay. CoAP
  // relay only: over HTTP a delay holds each response once. False when nothing was lifted. On the
  // loop's thread.
  bool release_pace(const std::string& path, const Impairment& pace);

  // The URI of the package at `path` for `scheme` (see PublishedPackage::uris). Throws
  // std::invalid_argument naming the scheme when it is unknown or not served, naming the path
  // when nothing is published there, and naming the impairments when the package has wire
  // impairments (drop, stall, loss, delay) and the scheme is not coap: only coap:// goes
  // through the UDP relay that makes them.
  std::string uri(const std::string& path, std::string_view scheme) const;
  std::string coap_uri(const std::string& path) const { return uri(path, "coap"); }
  // Empty when HTTP is off.
  std::string http_uri(const std::string& path) const;
  // The schemes served, in the order coap, coaps, coap+tcp, coaps+tcp, http, https.
  std::vector<std::string> schemes() const;

  const coap::BoundAddress& coap_address() const { return coap_.address(); }
  std::optional<coap::BoundAddress> address(coap::Transport transport) const { return coap_.address(transport); }
  std::uint16_t http_port() const { return http_ ? http_->port() : 0; }
  std::uint16_t https_port() const { return https_ ? https_->port() : 0; }
  // Every DTLS/TLS handshake a device attempted with the CoAP side: who presented what, and why
  // a failed one failed.
  const std::vector<coap::HandshakeReport>& coap_handshakes() const { return coap_.handshakes(); }

 private:
  coap::EventLoop& loop_;
  coap::Trace& trace_;
  RepositoryConfig config_;
  PackageStore store_;
  TransferCounters counters_;
  CoapRepository coap_;
  std::unique_ptr<HttpRepository> http_;
  std::unique_ptr<HttpRepository> https_;
  std::map<std::string, std::unique_ptr<ImpairmentRelay>> relays_;

  std::string host() const;
  static std::string split_path(const std::string& path_and_query, std::vector<std::string>& query);
};

}  // namespace fc::repository
