// A package the repository serves, and what a client sees of it at each position once its
// content impairments apply (ETag change, content change, error answer, announced size).
#pragma once

#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/repository/impairment.h"

namespace fc::repository {

// The ETag of a package: the first 8 bytes of SHA-256 over its content (RFC 7252 §5.10.6
// allows 1..8 bytes; 8 make a collision between two test packages practically impossible).
Bytes content_etag(ByteView content);

// Where a request lands in a package: the block (CoAP, at the block size being served) or
// only the byte offset (HTTP, block_size 0).
struct RequestPosition {
  std::uint64_t block = 0;
  std::uint64_t offset = 0;
  std::size_t block_size = 0;  // 0: HTTP, block positions never apply
};

class HostedPackage {
 public:
  // `path` is "/fw/a.bin"; `query` the Uri-Query a client must repeat on every request.
  HostedPackage(std::string path, std::vector<std::string> query, Bytes content, std::vector<Impairment> impairments);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& query() const { return query_; }
  // "a=1&b" as it appears after '?' in a URI; empty without a query.
  std::string query_string() const;
  const Bytes& content() const { return content_; }
  std::size_t size() const { return content_.size(); }
  const Bytes& etag() const { return etag_; }
  const std::vector<Impairment>& impairments() const { return impairments_; }
  // The impairments that apply to `transport`, in publication order.
  std::vector<Impairment> impairments_for(Transport transport) const;
  bool needs_relay() const;

  // The ETag a response at `at` carries: another one from an etag-change position on.
  Bytes etag_at(Transport transport, const RequestPosition& at) const;
  // The error a request at `at` is answered with, if any; a `once` error is used up here.
  std::optional<Impairment> error_at(Transport transport, const RequestPosition& at);
  // `length` bytes from `offset` (fewer at the end), altered from a content-change position on.
  Bytes bytes(Transport transport, std::uint64_t offset, std::size_t length, std::size_t block_size) const;
  // The total announced in Size2 / Content-Length: an announce-size impairment, else the size.
  std::uint64_t announced_size(Transport transport) const;
  bool announces_size(Transport transport) const;
  // The largest Block2 size this package is served with (max-block), 1024 without one.
  std::size_t max_block_size() const;
  // True the first time `key` is asked for: one-shot impairments and notes made once.
  bool first_use(const std::string& key);

 private:
  std::string path_;
  std::vector<std::string> query_;
  Bytes content_;
  Bytes etag_;
  std::vector<Impairment> impairments_;
  mutable std::mutex mutex_;  // CoAP runs on the loop's thread, HTTP on its own
  std::set<std::string> used_;

  // Whether a request-level impairment (error, ETag change) reaches `at`.
  static bool reaches(const Impairment& imp, const RequestPosition& at);
};

// The ETag a package has once an etag-change applies: every byte flipped, so it never matches.
Bytes changed_etag(const Bytes& etag);

}  // namespace fc::repository
