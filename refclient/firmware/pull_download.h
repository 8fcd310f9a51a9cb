// A running pull (Package URI) download: CoAP over UDP, DTLS, TCP or TLS, or HTTP(S), pumped
// from the object's poll().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <optional>
#include <vector>

#include "refclient/firmware/firmware_types.h"
#include "refclient/firmware/package_receiver.h"
#include "refclient/firmware/package_uri.h"
#include "refclient/security/tls_credentials.h"

namespace fc::refclient {

// How long the network may stay silent, from the CoAP transmission parameters (RFC 7252 §4.8).
struct TransferTiming {
  double ack_timeout = 2.0;  // s
  int max_retransmit = 4;
  double ack_random_factor = 1.5;  // RFC 7252 §4.8 default; --ack-random-factor
  // MAX_TRANSMIT_WAIT = ACK_TIMEOUT * (2^(MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR: the
  // longest a CoAP request may wait for its answer. Over TCP and TLS, which have no CoAP
  // retransmissions, it bounds connect, handshake and answer together; HTTP(S) uses it as
  // connect (with the TLS handshake), read and write timeout.
  std::chrono::milliseconds max_transmit_wait() const;
  // Mutants (mutants.h) that wait on a silent repository for ever; off in a correct client.
  bool unbounded_http_read = false;          // http-stall-waits-forever
  bool unbounded_separate_response = false;  // separate-response-waits-forever (CoAP over UDP)
};

// What tells one representation of a package from another: the CoAP ETag (hex) or the HTTP
// entity-tag as sent (quotes and any W/ included). A weak one validates no range.
struct Validator {
  std::string etag;
  bool weak = false;
  bool operator==(const Validator&) const = default;
};

// --resume-downloads: continue at `offset` (the bytes the slot holds) of the representation
// `validator` names. Mutants (mutants.h) that break the rules of a resumption; off in a
// correct client.
struct ResumeFrom {
  std::uint64_t offset = 0;
  Validator validator;
  bool ignore_validator = false;   // resume-ignores-etag: no ETag check (CoAP), no If-Match (HTTP)
  bool ignore_412 = false;         // ignores-412: after a 412 the range is asked again without If-Match
};

// How the transfer ended; no failure means every byte went to the receiver.
struct PullOutcome {
  std::optional<DownloadFailure> failure;
  std::uint64_t bytes = 0;
  // A resumption the repository refused: another ETag at the resumed block, HTTP 412, or a
  // whole body to a range. The bytes held belong to another representation: start again.
  bool stale = false;
};

class PullDownload {
 public:
  virtual ~PullDownload() = default;
  virtual void poll() = 0;
  virtual std::vector<int> wait_fds() const = 0;
  // Milliseconds until poll() has timed work; a large value when only I/O can wake it.
  virtual int next_timeout_ms() const = 0;
  // Set once the transfer ended and the receiver is no longer touched by the download.
  virtual std::optional<PullOutcome> outcome() const = 0;
  // The representation being fetched, once its first answer came (none: the repository sent
  // no ETag).
  virtual std::optional<Validator> validator() const { return std::nullopt; }
};

// Starts a download of `uri` (coap, coaps, coap+tcp, coaps+tcp, http or https) into
// `receiver`, which must outlive it. Secure schemes use `repository` credentials; a handshake
// or certificate check that fails ends the download with Result 4.
// With `from`, the transfer continues at its offset (the receiver already holds the bytes
// before it) and ends `stale` when the repository no longer has that representation.
std::unique_ptr<PullDownload> start_pull(const PackageUri& uri, PackageReceiver& receiver,
                                         TransferTiming timing, const TlsCredentials& repository,
                                         std::optional<ResumeFrom> from = std::nullopt);

// A download that already ended (a URI that cannot be fetched, a host that does not resolve).
std::unique_ptr<PullDownload> failed_pull(DownloadFailure failure);

}  // namespace fc::refclient
