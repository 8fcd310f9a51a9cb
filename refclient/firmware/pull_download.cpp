// Picks the downloader for a scheme, and the shared timing rules.
#include "refclient/firmware/pull_download.h"

#include <cmath>
#include <limits>

#include "refclient/firmware/coap_pull.h"
#include "refclient/firmware/http_pull.h"

namespace fc::refclient {

namespace {

class FailedPull final : public PullDownload {
 public:
  explicit FailedPull(DownloadFailure failure) : outcome_{PullOutcome{std::move(failure), 0}} {}
  void poll() override {}
  std::vector<int> wait_fds() const override { return {}; }
  int next_timeout_ms() const override { return 0; }
  std::optional<PullOutcome> outcome() const override { return outcome_; }

 private:
  std::optional<PullOutcome> outcome_;
};

}  // namespace

std::chrono::milliseconds TransferTiming::max_transmit_wait() const {
  const double seconds = ack_timeout * (std::pow(2.0, max_retransmit + 1) - 1.0) * ack_random_factor;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000.0)));
}

std::unique_ptr<PullDownload> start_pull(const PackageUri& uri, PackageReceiver& receiver,
                                         TransferTiming timing, const TlsCredentials& repository,
                                         std::optional<ResumeFrom> from) {
  if (uri.scheme == "coap" || uri.scheme == "coaps" || uri.scheme == "coap+tcp" || uri.scheme == "coaps+tcp") {
    return std::make_unique<CoapPull>(uri, receiver, timing, repository, std::move(from));
  }
  if (uri.scheme == "http" || uri.scheme == "https")
    return std::make_unique<HttpPull>(uri, receiver, timing, repository, std::move(from));
  return failed_pull({UpdateResult::UnsupportedProtocol, "no downloader for scheme " + uri.scheme});
}

std::unique_ptr<PullDownload> failed_pull(DownloadFailure failure) {
  return std::make_unique<FailedPull>(std::move(failure));
}

}  // namespace fc::refclient
