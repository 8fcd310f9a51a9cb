// The firmware repository a device pulls from (TS E.6.2; reference §4.3): packages published by
// path over CoAP (Block2, ETag, Size2) and HTTP (Range, If-Match), each with its impairments,
// and counters of what was served. CoAP runs on the suite's event loop, HTTP on its own thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/repository/coap_repository.h"
#include "suite/repository/http_repository.h"
#include "suite/repository/impairment.h"
#include "suite/repository/impairment_relay.h"
#include "suite/repository/package_store.h"
#include "suite/repository/transfer_counters.h"

namespace fc::repository {

struct RepositoryConfig {
  std::string bind = "127.0.0.1";
  std::uint16_t coap_port = 0;     // 0: a free port
  std::uint16_t http_port = 0;     // 0: a free port
  bool http = true;                // serve HTTP too
  std::string advertised_host;     // the host put in URIs; empty: `bind`
  bool always_size2 = false;       // Size2 in every CoAP response, asked for or not
  std::uint8_t max_block_szx = 6;  // largest Block2 served: 2^(szx+4) bytes (6: 1024)
};

struct PublishedPackage {
  std::string path;       // "/fw/a.bin"
  std::string coap_uri;   // via the package's relay when it has wire impairments
  std::string http_uri;   // empty when HTTP is off
  Bytes etag;             // the content's ETag (before any etag-change)
  std::size_t size = 0;
  std::vector<Impairment> impairments;
};

class FirmwareRepository {
 public:
  // Binds at once; throws std::runtime_error naming the address when it cannot.
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
  void unpublish(const std::string& path);

  // Counts for the path (without query); they stay readable after unpublish.
  PackageCounters counters(const std::string& path) const;
  std::map<std::string, std::size_t> unknown_requests() const { return counters_.unknown_requests(); }
  // The relay in front of a package with wire impairments, nullptr without one.
  const ImpairmentRelay* relay(const std::string& path) const;

  std::string coap_uri(const std::string& path) const;
  std::string http_uri(const std::string& path) const;
  const coap::BoundAddress& coap_address() const { return coap_.address(); }
  std::uint16_t http_port() const { return http_ ? http_->port() : 0; }

 private:
  coap::EventLoop& loop_;
  coap::Trace& trace_;
  RepositoryConfig config_;
  PackageStore store_;
  TransferCounters counters_;
  CoapRepository coap_;
  std::unique_ptr<HttpRepository> http_;
  std::map<std::string, std::unique_ptr<ImpairmentRelay>> relays_;

  std::string host() const;
  static std::string split_path(const std::string& path_and_query, std::vector<std::string>& query);
};

}  // namespace fc::repository
