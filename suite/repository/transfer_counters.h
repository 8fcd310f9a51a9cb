// What the repository served, per package and per transfer, so a case can state "downloaded
// once" or compute a re-download ratio. Thread-safe: CoAP counts on the loop's thread, HTTP on
// its own.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "suite/common/clock.h"
#include "suite/repository/impairment.h"

namespace fc::repository {

// One client's run through a package: a CoAP block sequence or one HTTP response.
struct TransferRecord {
  std::string client;           // CoAP "ip:port"; HTTP the client's IP (each request reconnects)
  Transport transport = Transport::Coap;
  std::uint64_t first_offset = 0;
  std::uint64_t last_offset = 0;  // where the latest block began (a repeat lands here)
  std::uint64_t next_offset = 0;  // just past the last byte served
  std::size_t blocks = 0;         // CoAP 2.05 responses, repeats included
  std::uint64_t bytes = 0;        // payload bytes handed to the wire, repeats included
  bool completed = false;         // the last byte of the package was served
  Clock::time_point started;
};

struct PackageCounters {
  std::size_t size = 0;
  std::size_t requests = 0;          // every request for the path, refused ones included
  std::size_t errors = 0;            // requests answered with an error
  std::size_t blocks = 0;            // CoAP 2.05 block responses
  std::uint64_t bytes = 0;           // payload bytes served over both transports
  std::size_t distinct_clients = 0;
  std::size_t restarts = 0;          // transfers from offset 0 after the first transfer
  std::size_t resumes = 0;           // transfers that began past offset 0 (a client continuing
                                     // its own transfer from the same address stays in it)
  std::size_t completed = 0;         // transfers served through the last byte
  std::size_t ranged = 0;            // HTTP requests with a Range header, served or refused
  std::size_t precondition_failed = 0;  // HTTP 412 answers (If-Match of another ETag, or weak)
  std::vector<TransferRecord> transfers;

  // Bytes served per byte of package: 1.0 for one clean download.
  double redownload_ratio() const { return size ? static_cast<double>(bytes) / static_cast<double>(size) : 0.0; }
};

class TransferCounters {
 public:
  // Starts (or restarts) counting for a path; publishing the same path again resets it.
  void open(const std::string& path, std::size_t size);

  void request(const std::string& path, const std::string& client);
  void error(const std::string& path);
  // A request for a path nothing is published at.
  void unknown(const std::string& path);
  // An HTTP request that asked for a range; one answered 412 Precondition Failed.
  void ranged(const std::string& path);
  void precondition_failed(const std::string& path);
  // A CoAP block served: continues the client's transfer when `offset` follows on (or repeats
  // the latest block), else begins a new one.
  void coap_block(const std::string& path, const std::string& client, std::uint64_t offset, std::size_t length);
  // request() and coap_block() at once, under one lock and one look-up: every block served.
  void coap_block_request(const std::string& path, const std::string& client, std::uint64_t offset,
                          std::size_t length);
  // An HTTP response body starting at `offset`; returns its transfer's index for http_bytes.
  std::size_t http_begin(const std::string& path, const std::string& client, std::uint64_t offset);
  void http_bytes(const std::string& path, std::size_t transfer, std::size_t length);

  PackageCounters counters(const std::string& path) const;
  // Requests for paths nothing was published at, by path.
  std::map<std::string, std::size_t> unknown_requests() const;

 private:
  struct Tally {
    PackageCounters counters;
    std::vector<std::string> clients;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Tally> tallies_;
  std::map<std::string, std::size_t> unknown_;

  // Must hold mutex_.
  Tally& tally(const std::string& path);
  void note_client(Tally& t, const std::string& client);
  std::size_t begin(Tally& t, const std::string& client, Transport transport, std::uint64_t offset);
  static void add_bytes(Tally& t, TransferRecord& transfer, std::uint64_t offset, std::size_t length);
  void add_block(Tally& t, const std::string& client, std::uint64_t offset, std::size_t length);
};

}  // namespace fc::repository
