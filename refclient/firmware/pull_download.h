// A running pull (Package URI) download: CoAP over UDP, DTLS, TCP or TLS, or HTTP(S), pumped
// from the object's poll().
#pragma once

#include <chrono>
#include <memory>
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
  // MAX_TRANSMIT_WAIT = ACK_TIMEOUT * (2^(MAX_RETRANSMIT + 1) - 1) * ACK_RANDOM_FACTOR: the
  // longest a CoAP request may wait for its answer. Over TCP and TLS, which have no CoAP
  // retransmissions, it bounds connect, handshake and answer together; HTTP(S) uses it as
  // connect (with the TLS handshake), read and write timeout.
  std::chrono::milliseconds max_transmit_wait() const;
  // Mutants (mutants.h) that wait on a silent repository for ever; off in a correct client.
  bool unbounded_http_read = false;          // http-stall-waits-forever
  bool unbounded_separate_response = false;  // separate-response-waits-forever (CoAP over UDP)
};

// How the transfer ended; no failure means every byte went to the receiver.
struct PullOutcome {
  std::optional<DownloadFailure> failure;
  std::uint64_t bytes = 0;
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
};

// Starts a download of `uri` (coap, coaps, coap+tcp, coaps+tcp, http or https) into
// `receiver`, which must outlive it. Secure schemes use `repository` credentials; a handshake
// or certificate check that fails ends the download with Result 4.
std::unique_ptr<PullDownload> start_pull(const PackageUri& uri, PackageReceiver& receiver,
                                         TransferTiming timing, const TlsCredentials& repository);

// A download that already ended (a URI that cannot be fetched, a host that does not resolve).
std::unique_ptr<PullDownload> failed_pull(DownloadFailure failure);

}  // namespace fc::refclient
