// HTTP(S) pull. Failure mapping (documented in docs/refclient.md):
//   host that does not resolve, 404                                              -> 7
//   connection refused, closed early, no data within MAX_TRANSMIT_WAIT, other
//   non-200 status, TLS handshake failed, certificate does not verify             -> 4
//   Content-Length beyond the flash size                                          -> 2 (before any byte is
//   stored)
#include "refclient/firmware/http_pull.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>

#include "refclient/firmware/firmware_log.h"
#include "refclient/firmware/resolve_host.h"

namespace fc::refclient {

namespace {

// How long cancelling waits for the worker before leaving it detached.
constexpr std::chrono::milliseconds kCancelGrace{500};

// The OpenSSL verify results a repository is likely to cause, in words (x509_vfy.h numbers;
// the OpenSSL functions that would name them are not linked here).
std::string verify_result_text(long code) {
  switch (code) {
    case 0: return "the certificate does not match the host name";  // httplib's own host check
    case 2: return "unable to get the issuer certificate";
    case 9: return "the certificate is not yet valid";
    case 10: return "the certificate has expired";
    case 18: return "self-signed certificate";
    case 19: return "self-signed certificate in the chain";
    case 20: return "unable to get the local issuer certificate: it does not chain to a trusted CA";
    case 21: return "unable to verify the first certificate";
    case 62: return "the host name does not match the certificate";
    default: break;
  }
  return "see OpenSSL's X509_V_ERR list";
}

}  // namespace

struct HttpPull::Shared {
  std::mutex mutex;
  std::condition_variable finished_signal;
  bool cancelled = false;
  bool finished = false;
  httplib::Client* client = nullptr;    // the worker's, while a request runs
  PackageReceiver* receiver = nullptr;  // touched only under `mutex` and only until cancelled
  std::optional<PullOutcome> posted;
  std::optional<Validator> validator;  // the ETag of the first response, under `mutex`
  int wake_fd = -1;

  ~Shared() {
    if (wake_fd >= 0) ::close(wake_fd);
  }

  void post(PullOutcome outcome) {
    {
      std::lock_guard lock(mutex);
      posted = std::move(outcome);
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wake_fd, &one, sizeof one);
  }
};

namespace {

// The validator an HTTP ETag header value stands for.
Validator validator_of(const std::string& etag) { return Validator{etag, etag.rfind("W/", 0) == 0}; }

void run_transfer(const std::shared_ptr<HttpPull::Shared>& shared, const PackageUri& uri,
                  TransferTiming timing, const TlsCredentials& repository, std::optional<ResumeFrom> from) {
  std::uint64_t received = from ? from->offset : 0;
  auto fail = [&](UpdateResult result, std::string reason) {
    shared->post(PullOutcome{DownloadFailure{result, std::move(reason)}, received});
  };
  auto resolved = resolve_host(uri.host, uri.port, SOCK_STREAM);
  if (auto* why = std::get_if<std::string>(&resolved)) {
    fail(UpdateResult::InvalidUri, *why);
    return;
  }

  const auto wait = timing.max_transmit_wait();
  const auto host = uri.host.find(':') != std::string::npos ? "[" + uri.host + "]" : uri.host;
  const bool secure = uri.scheme == "https";
  const auto origin = fmt::format("{}://{}:{}", secure ? "https" : "http", host, uri.port);
  const bool client_certificate = secure && repository.has_certificate();
  const auto certificate = repository.certificate.string();
  const auto private_key = repository.private_key.string();
  httplib::Client client = client_certificate ? httplib::Client(origin, certificate, private_key) : httplib::Client(origin);
  if (!client.is_valid()) {
    fail(UpdateResult::ConnectionLost, fmt::format("cannot set up the HTTPS client for {} (client certificate {})",
                                                   origin, repository.certificate.string()));
    return;
  }
  if (secure) {
    client.enable_server_certificate_verification(true);
    if (!repository.ca.empty()) client.set_ca_cert_path(repository.ca.string());
  }
  // The connection timeout covers the TLS handshake too (httplib's non-blocking SSL_connect).
  client.set_connection_timeout(wait);
  // http-stall-waits-forever: a read that never times out (a day stands for ever here).
  client.set_read_timeout(timing.unbounded_http_read ? std::chrono::milliseconds(std::chrono::hours(24)) : wait);
  client.set_write_timeout(wait);
  client.set_keep_alive(false);
  client.set_follow_location(false);
  {
    std::lock_guard lock(shared->mutex);
    if (shared->cancelled) return;
    shared->client = &client;
  }

  std::optional<DownloadFailure> failure;
  bool stale = false;
  const bool ranged = from && from->offset > 0;
  httplib::Headers headers;
  if (ranged) {
    headers.emplace("Range", fmt::format("bytes={}-", from->offset));
    if (!from->ignore_validator) headers.emplace("If-Match", from->validator.etag);
    firmware_log().info("resuming http at byte {}{}", from->offset,
                        from->ignore_validator ? " without If-Match" : ", If-Match " + from->validator.etag);
  }
  auto on_response = [&](const httplib::Response& response) {
    if (response.has_header("ETag")) {
      std::lock_guard lock(shared->mutex);
      shared->validator = validator_of(response.get_header_value("ETag"));
    }
    if (ranged && (response.status == 412 || response.status == 200)) {
      // 412: the package is no longer the one begun; 200: the range was not served.
      stale = true;
      failure = DownloadFailure{UpdateResult::ConnectionLost,
                                fmt::format("repository answered HTTP {} to the range from byte {}", response.status,
                                            from->offset),
                                response.status};
      return false;
    }
    if (ranged && response.status == 206) {
      const auto range = response.get_header_value("Content-Range");
      if (range.rfind(fmt::format("bytes {}-", from->offset), 0) != 0) {
        failure = DownloadFailure{UpdateResult::ConnectionLost,
                                  fmt::format("repository answered Content-Range \"{}\" to a range from byte {}",
                                              range, from->offset)};
        return false;
      }
      return true;
    }
    if (response.status == 404) {
      failure = DownloadFailure{UpdateResult::InvalidUri, "repository answered HTTP 404", 404};
      return false;
    }
    if (response.status != 200) {
      failure = DownloadFailure{UpdateResult::ConnectionLost,
                                fmt::format("repository answered HTTP {}", response.status), response.status};
      return false;
    }
    if (response.has_header("Content-Length") && !ranged) {
      const auto length = std::strtoull(response.get_header_value("Content-Length").c_str(), nullptr, 10);
      std::lock_guard lock(shared->mutex);
      if (shared->cancelled) return false;
      failure = shared->receiver->announce_size(length);
      if (failure) return false;
    }
    return true;
  };
  auto on_content = [&](const char* data, size_t length) {
    std::lock_guard lock(shared->mutex);
    if (shared->cancelled) return false;
    failure = shared->receiver->accept(ByteView(reinterpret_cast<const std::uint8_t*>(data), length));
    if (failure) return false;
    received += length;
    return true;
  };
  auto result = client.Get(uri.path_and_query, headers, on_response, on_content);
  // ignores-412: the same range again, without the precondition that failed.
  if (stale && from && from->ignore_412 && failure && failure->http_status == 412) {
    firmware_log().info("mutant ignores-412: asking for the range again without If-Match");
    stale = false;
    failure.reset();
    headers.erase("If-Match");
    result = client.Get(uri.path_and_query, headers, on_response, on_content);
  }
  {
    std::lock_guard lock(shared->mutex);
    shared->client = nullptr;
    if (shared->cancelled) return;
  }
  if (failure) {
    shared->post(PullOutcome{std::move(failure), received, stale});
  } else if (!result && result.error() == httplib::Error::SSLServerVerification) {
    const long code = client.get_openssl_verify_result();
    fail(UpdateResult::ConnectionLost,
         fmt::format("the secure connection to the repository could not be established: its certificate does not "
                     "verify against {} (OpenSSL verify result {}: {})",
                     repository.ca.empty() ? "the system trust store (no --fw-ca)" : repository.ca.string(), code,
                     verify_result_text(code)));
  } else if (!result && result.error() == httplib::Error::SSLConnection) {
    fail(UpdateResult::ConnectionLost,
         "the secure connection to the repository could not be established: TLS handshake failed");
  } else if (!result) {
    fail(UpdateResult::ConnectionLost, fmt::format("HTTP transfer failed after {} bytes: {}", received,
                                                   httplib::to_string(result.error())));
  } else if (result->status != (ranged ? 206 : 200)) {
    shared->post(PullOutcome{DownloadFailure{result->status == 404 ? UpdateResult::InvalidUri : UpdateResult::ConnectionLost,
                                             fmt::format("repository answered HTTP {}", result->status),
                                             result->status},
                             received});
  } else {
    shared->post(PullOutcome{std::nullopt, received});
  }
}

}  // namespace

HttpPull::HttpPull(const PackageUri& uri, PackageReceiver& receiver, TransferTiming timing,
                   const TlsCredentials& repository, std::optional<ResumeFrom> from)
    : shared_(std::make_shared<Shared>()) {
  shared_->receiver = &receiver;
  shared_->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (uri.scheme == "https") {
    if (repository.ca.empty()) {
      firmware_log().info("https pull: the repository's certificate must chain to the system trust store (no --fw-ca)");
    } else {
      firmware_log().info("https pull: the repository's certificate must chain to {}", repository.ca.string());
    }
  }
  worker_ = std::thread([shared = shared_, uri, timing, repository, from] {
    run_transfer(shared, uri, timing, repository, from);
    {
      std::lock_guard lock(shared->mutex);
      shared->finished = true;
    }
    shared->finished_signal.notify_all();
  });
}

HttpPull::~HttpPull() {
  std::unique_lock lock(shared_->mutex);
  shared_->cancelled = true;
  shared_->receiver = nullptr;
  if (shared_->client != nullptr) shared_->client->stop();
  const bool finished =
      shared_->finished_signal.wait_for(lock, kCancelGrace, [&] { return shared_->finished; });
  lock.unlock();
  if (!worker_.joinable()) return;  // already joined by poll()
  if (finished) {
    worker_.join();
  } else {
    firmware_log().warn("HTTP download still resolving or connecting; left to time out on its own");
    worker_.detach();
  }
}

void HttpPull::poll() {
  if (outcome_) return;
  std::uint64_t count = 0;
  [[maybe_unused]] const auto got = ::read(shared_->wake_fd, &count, sizeof count);
  std::optional<PullOutcome> posted;
  {
    std::lock_guard lock(shared_->mutex);
    posted = shared_->posted;
  }
  if (!posted) return;
  if (worker_.joinable()) worker_.join();  // it ends right after posting
  outcome_ = std::move(posted);
}

std::optional<Validator> HttpPull::validator() const {
  std::lock_guard lock(shared_->mutex);
  return shared_->validator;
}

std::vector<int> HttpPull::wait_fds() const {
  if (outcome_ || shared_->wake_fd < 0) return {};
  return {shared_->wake_fd};
}

int HttpPull::next_timeout_ms() const {
  if (outcome_) return 0;
  // The worker wakes the loop through the eventfd; without one, look again soon.
  return shared_->wake_fd >= 0 ? 60'000 : 10;
}

}  // namespace fc::refclient
