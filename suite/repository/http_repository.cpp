#include "suite/repository/http_repository.h"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <fstream>
#include <stdexcept>

#include "suite/coap/wire_listeners.h"

namespace fc::repository {

namespace {

constexpr std::size_t kChunk = 16 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string query_of(const std::string& target) {
  auto q = target.find('?');
  return q == std::string::npos ? std::string() : target.substr(q + 1);
}

// What a response body will carry and why it may stop short.
struct BodyPlan {
  std::uint64_t first = 0;      // package offset of the first body byte
  std::uint64_t declared = 0;   // Content-Length as sent
  std::uint64_t sending = 0;    // bytes that will really be written
  std::string cut_by;           // the impairment (or lie) that makes sending < declared
  std::optional<Impairment> stall;
};

// The server httplib runs: an SSLServer with the repository's own credentials for https.
std::unique_ptr<httplib::Server> make_server(const std::optional<TlsFiles>& tls) {
  if (!tls) return std::make_unique<httplib::Server>();
  auto readable = [](const std::filesystem::path& file, const char* what) {
    if (file.empty()) throw std::runtime_error(fmt::format("HTTPS repository: no {} file given", what));
    std::ifstream in(file);
    if (!in) throw std::runtime_error(fmt::format("HTTPS repository: cannot read the {} '{}'", what, file.string()));
  };
  readable(tls->certificate, "certificate");
  readable(tls->private_key, "private key");
  auto server = std::make_unique<httplib::SSLServer>(tls->certificate.c_str(), tls->private_key.c_str());
  if (!server->is_valid())
    throw std::runtime_error(fmt::format(
        "HTTPS repository: OpenSSL refused the certificate '{}' with the private key '{}' (not PEM, or the key "
        "is not the certificate's)",
        tls->certificate.string(), tls->private_key.string()));
  return server;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t total) {
  header = trim(header);
  constexpr std::string_view unit = "bytes=";
  if (header.size() <= unit.size() || header.substr(0, unit.size()) != unit) return {};
  auto spec = trim(header.substr(unit.size()));
  if (spec.find(',') != std::string_view::npos) return {};
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return {};
  auto from = trim(spec.substr(0, dash));
  auto to = trim(spec.substr(dash + 1));
  RangeRequest r;
  if (from.empty()) {  // suffix: the last n bytes
    auto n = number(to);
    if (!n) return {};
    if (*n == 0 || total == 0) return RangeRequest{RangeRequest::Kind::Unsatisfiable};
    return RangeRequest{RangeRequest::Kind::Part, total > *n ? total - *n : 0, total - 1};
  }
  auto first = number(from);
  if (!first) return {};
  std::uint64_t last = total == 0 ? 0 : total - 1;
  if (!to.empty()) {
    auto given = number(to);
    if (!given || *given < *first) return {};
    last = std::min(last, *given);
  }
  if (*first >= total) return RangeRequest{RangeRequest::Kind::Unsatisfiable};
  return RangeRequest{RangeRequest::Kind::Part, *first, last};
}

bool if_match_allows(std::string_view header, std::string_view quoted_etag) {
  std::size_t start = 0;
  for (;;) {
    auto comma = header.find(',', start);
    auto tag = trim(header.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (tag == "*" || tag == quoted_etag) return true;
    if (comma == std::string_view::npos) return false;
    start = comma + 1;
  }
}

bool if_range_allows(std::string_view header, std::string_view quoted_etag) {
  header = trim(header);
  return !header.empty() && header.substr(0, 2) != "W/" && header == quoted_etag;
}

HttpRepository::HttpRepository(coap::Trace& trace, PackageStore& store, TransferCounters& counters,
                               const std::string& bind, std::uint16_t port, std::optional<TlsFiles> tls)
    : trace_(trace),
      store_(store),
      counters_(counters),
      secure_(tls.has_value()),
      channel_(secure_ ? "repository-https" : "repository-http"),
      server_(make_server(tls)) {
  const char* scheme = secure_ ? "HTTPS" : "HTTP";
  server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
  // Short keep-alive so shutdown never waits long on an idle client connection.
  server_->set_keep_alive_timeout(1);
  server_->Get(".*", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  int bound = port == 0 ? server_->bind_to_any_port(bind) : (server_->bind_to_port(bind, port) ? port : -1);
  if (bound <= 0) throw std::runtime_error(fmt::format("{} repository: cannot bind {}:{}", scheme, bind, port));
  port_ = static_cast<std::uint16_t>(bound);
  coap::note_listener(port_, coap::WireService::Http);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // httplib's stop() does nothing until the listening loop runs: wait for it, so the destructor
  // can never miss it and join a thread blocked in accept().
  Deadline deadline(Duration(5000));
  while (!server_->is_running() && !deadline.passed()) std::this_thread::sleep_for(Duration(1));
  if (!server_->is_running()) {
    server_->stop();
    thread_.join();
    throw std::runtime_error(fmt::format("{} repository on {}:{} did not start listening", scheme, bind, port_));
  }
}

HttpRepository::~HttpRepository() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  server_->stop();
  thread_.join();
}

bool HttpRepository::pause(Duration duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [this] { return stopping_; });
  return !stopping_;
}

HttpRepository::StallEnd HttpRepository::stall(const std::string& path, Duration duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [&] { return stopping_ || released_.count(path) > 0; });
  if (stopping_) return StallEnd::Stopping;
  return released_.count(path) > 0 ? StallEnd::Released : StallEnd::RanOut;
}

void HttpRepository::release_stalls(const std::string& path) {
  {
    std::lock_guard lock(mutex_);
    released_.insert(path);
  }
  wake_.notify_all();
}

void HttpRepository::rearm_stalls(const std::string& path) {
  std::lock_guard lock(mutex_);
  released_.erase(path);
}

void HttpRepository::handle(const httplib::Request& req, httplib::Response& res) {
  std::string line = fmt::format("{} {} {}", req.remote_addr, req.method, req.target);
  if (req.has_header("Range")) line += " Range: " + req.get_header_value("Range");
  if (req.has_header("If-Match")) line += " If-Match: " + req.get_header_value("If-Match");
  if (req.has_header("If-Range")) line += " If-Range: " + req.get_header_value("If-Range");
  auto refuse = [&](int status, const std::string& why) {
    res.status = status;
    note(fmt::format("{} → {}{}", line, status, why.empty() ? "" : " (" + why + ")"));
  };

  auto package = store_.find(req.path);
  if (!package) {
    counters_.unknown(req.path);
    return refuse(404, "nothing published there");
  }
  const auto& path = package->path();
  counters_.request(path, req.remote_addr);
  if (query_of(req.target) != package->query_string()) {
    counters_.error(path);
    return refuse(404, "query is not the published '" + package->query_string() + "'");
  }
  auto impairments = package->impairments_for(Transport::Http);
  for (const auto& imp : impairments)
    if (imp.kind == ImpairmentKind::Delay) {
      note(fmt::format("{} {}: holding the response back {} ms", line, imp.describe(), imp.duration.count()));
      if (!pause(imp.duration)) return refuse(503, "repository shutting down");
    }

  auto total = package->announced_size(Transport::Http);
  auto range = parse_range(req.get_header_value("Range"), total);
  if (req.has_header("Range")) counters_.ranged(path);
  // A weak ETag (weak-etag) validates no range: If-Match compares strongly (§13.1.1) and If-Range
  // with a weak tag is false (§13.1.5).
  bool weak = false;
  for (const auto& imp : impairments) weak = weak || imp.kind == ImpairmentKind::WeakEtag;
  auto quote = [weak](const Bytes& etag) { return (weak ? "W/\"" : "\"") + to_hex(etag) + "\""; };
  if (range.kind != RangeRequest::Kind::Whole && req.has_header("If-Range")) {
    auto current = quote(package->etag_at(Transport::Http, RequestPosition{0, range.first, 0}));
    if (weak || !if_range_allows(req.get_header_value("If-Range"), current)) {
      note(fmt::format("{}: If-Range is not the current strong ETag {}: the whole package instead", line, current));
      range = RangeRequest{};
    }
  }
  if (range.kind == RangeRequest::Kind::Unsatisfiable) {
    counters_.error(path);
    res.set_header("Content-Range", fmt::format("bytes */{}", total));
    return refuse(416, "range not satisfiable");
  }
  BodyPlan plan;
  bool partial = range.kind == RangeRequest::Kind::Part;
  plan.first = partial ? range.first : 0;
  RequestPosition at{0, plan.first, 0};
  auto quoted = quote(package->etag_at(Transport::Http, at));
  if (req.has_header("If-Match") &&
      !(weak ? trim(req.get_header_value("If-Match")) == "*" : if_match_allows(req.get_header_value("If-Match"), quoted))) {
    counters_.error(path);
    counters_.precondition_failed(path);
    res.set_header("ETag", quoted);
    return refuse(412, "ETag is " + quoted);
  }
  if (auto error = package->error_at(Transport::Http, at)) {
    counters_.error(path);
    return refuse(error->http_status(), error->describe());
  }

  std::uint64_t length = total == 0 ? 0 : (partial ? range.last : total - 1) - plan.first + 1;
  std::int64_t delta = 0;
  std::string liars;  // the impairments that make Content-Length other than the truth
  for (const auto& imp : impairments) {
    if (imp.kind == ImpairmentKind::HttpLyingLength) delta += imp.length_delta;
    if (imp.kind == ImpairmentKind::HttpLyingLength || imp.kind == ImpairmentKind::AnnounceSize)
      liars += (liars.empty() ? "" : ";") + imp.describe();
  }
  plan.declared = static_cast<std::uint64_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(length) + delta));
  std::uint64_t available = package->size() > plan.first ? package->size() - plan.first : 0;
  plan.sending = std::min(plan.declared, available);
  if (plan.sending < plan.declared) plan.cut_by = liars;
  for (const auto& imp : impairments) {
    std::optional<std::uint64_t> limit;
    if (imp.kind == ImpairmentKind::HttpCloseAfter) limit = imp.bytes;
    // A `once` drop cuts the first response that crosses its byte, then lets every one through.
    if (imp.kind == ImpairmentKind::DropAfter && imp.at.value > plan.first && imp.at.value < plan.first + plan.sending &&
        (!imp.once || package->first_use(imp.describe() + " used on http")))
      limit = imp.at.value - plan.first;
    if (imp.kind == ImpairmentKind::DropAfter && !imp.once && imp.at.value <= plan.first) limit = 0;
    if (imp.kind == ImpairmentKind::Stall) plan.stall = imp;
    if (limit && *limit < plan.sending) {
      plan.sending = *limit;
      plan.cut_by = imp.describe();
    }
  }

  res.status = partial ? 206 : 200;
  res.set_header("ETag", quoted);
  res.set_header("Accept-Ranges", "bytes");
  res.set_header("Content-Length", std::to_string(plan.declared));
  if (partial) res.set_header("Content-Range", fmt::format("bytes {}-{}/{}", range.first, range.last, total));
  if (req.method == "HEAD") {
    note(fmt::format("{} → {}, Content-Length {}", line, res.status, plan.declared));
    return;
  }

  auto transfer = counters_.http_begin(path, req.remote_addr, plan.first);
  // The closing note is made before the last bytes go out, so whoever has read the whole
  // response also finds it in the trace.
  struct Progress {
    std::uint64_t sent = 0;
    bool noted = false;
  };
  auto progress = std::make_shared<Progress>();
  auto finish_note = [this, line, status = res.status, plan, progress](std::uint64_t sent, const std::string& why) {
    progress->noted = true;
    note(fmt::format("{} → {}, Content-Length {}, {} B sent{}", line, status, plan.declared, sent,
                     why.empty() ? "" : fmt::format(", connection closed after {} B ({})", sent, why)));
  };
  // httplib writes no Content-Length of its own for a provider without length, so the one set
  // above (true or lying) is what the client sees, and returning false closes the connection.
  res.set_content_provider(
      "application/octet-stream",
      [this, package, plan, transfer, progress, finish_note](std::size_t offset, httplib::DataSink& sink) {
        if (offset >= plan.sending) {
          if (!progress->noted) finish_note(offset, plan.sending < plan.declared ? plan.cut_by : "");
          if (plan.sending < plan.declared) return false;
          sink.done();
          return true;
        }
        auto position = plan.first + offset;
        auto chunk = std::min<std::uint64_t>(kChunk, plan.sending - offset);
        if (plan.stall && position <= plan.stall->at.value && position + chunk > plan.stall->at.value) {
          if (position < plan.stall->at.value) {
            chunk = plan.stall->at.value - position;
          } else if (package->first_use(plan.stall->describe() + " used on http")) {
            note(fmt::format("{} {}: stream paused at byte {} for {} ms", package->path(), plan.stall->describe(),
                             position, plan.stall->duration.count()));
            const auto paused = Clock::now();
            const auto end = stall(package->path(), plan.stall->duration);
            if (end == StallEnd::Stopping) return false;
            if (end == StallEnd::Released)
              note(fmt::format("{} {}: stream released after {} ms", package->path(), plan.stall->describe(),
                               std::chrono::duration_cast<Duration>(Clock::now() - paused).count()));
            // A package replaced meanwhile (replace_content) is no longer served: its response
            // ends here, as a server's does when the file under it changes.
            if (store_.find(package->path()) != package) {
              note(fmt::format("{}: replaced while paused, connection closed at byte {}", package->path(), position));
              return false;
            }
          }
        }
        auto bytes = package->bytes(Transport::Http, position, static_cast<std::size_t>(chunk), 0);
        counters_.http_bytes(package->path(), transfer, bytes.size());
        progress->sent = offset + bytes.size();
        if (progress->sent == plan.sending)
          finish_note(progress->sent, plan.sending < plan.declared ? plan.cut_by : "");
        return sink.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      },
      [progress, finish_note](bool) {
        if (!progress->noted) finish_note(progress->sent, "client went away");
      });
}

}  // namespace fc::repository
