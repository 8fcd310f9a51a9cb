// Pull over HTTP/1.1 or HTTPS with cpp-httplib: a worker thread streams the body into the
// receiver and posts the outcome; poll() picks it up on the main thread (woken through an
// eventfd).
#pragma once

#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "refclient/firmware/pull_download.h"

namespace fc::refclient {

class HttpPull final : public PullDownload {
 public:
  // https: the repository's certificate must chain to `repository.ca` (without one, to the
  // system's trust store); `repository.certificate`/`private_key` are sent when the server
  // asks for a client certificate. Verification is never switched off.
  // With `from`, asks for `Range: bytes=N-` with `If-Match` of its strong ETag (never a weak
  // one: the caller starts over instead); 412, or a whole body, ends the pull stale.
  HttpPull(const PackageUri& uri, PackageReceiver& receiver, TransferTiming timing, const TlsCredentials& repository,
           std::optional<ResumeFrom> from = std::nullopt);
  // Cancels: the receiver is never touched again once this returns. A worker stuck in name
  // resolution or connect() is left to end on its own (detached) rather than block the loop.
  ~HttpPull() override;
  HttpPull(const HttpPull&) = delete;
  HttpPull& operator=(const HttpPull&) = delete;

  void poll() override;
  std::vector<int> wait_fds() const override;
  int next_timeout_ms() const override;
  std::optional<PullOutcome> outcome() const override { return outcome_; }
  std::optional<Validator> validator() const override;

  struct Shared;  // what the worker and the main thread share (kept alive by both)

 private:
  std::shared_ptr<Shared> shared_;
  std::optional<PullOutcome> outcome_;  // main thread's copy, set once the worker posted
  std::thread worker_;
};

}  // namespace fc::refclient
