#include "suite/repository/firmware_repository.h"

#include <fmt/format.h>

#include <stdexcept>

namespace fc::repository {

namespace {

// Characters a path segment or query may carry without percent-encoding (RFC 3986 §2.3, plus
// the sub-delimiters a query uses), so the published path is the URI's path byte for byte.
bool plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

constexpr std::string_view kSchemes[] = {"coap", "coaps", "coap+tcp", "coaps+tcp", "http", "https"};

CoapEndpoints endpoints_of(const RepositoryConfig& config) {
  CoapEndpoints e;
  e.udp_port = config.coap_port;
  e.dtls_port = config.coaps_port;
  e.tcp_port = config.coap_tcp_port;
  e.tls_port = config.coaps_tcp_port;
  e.tcp = config.tcp;
  e.secure = config.coaps;
  return e;
}

std::optional<TlsFiles> https_files(const RepositoryConfig& config) {
  bool certificate = !config.https_certificate.empty();
  bool key = !config.https_private_key.empty();
  if (certificate != key)
    throw std::invalid_argument(fmt::format("https needs both a certificate and a private key; only the {} '{}' is set",
                                            certificate ? "certificate" : "private key",
                                            (certificate ? config.https_certificate : config.https_private_key).string()));
  if (!certificate) return std::nullopt;
  return TlsFiles{config.https_certificate, config.https_private_key};
}

std::vector<Impairment> wire_impairments(const HostedPackage& package) {
  std::vector<Impairment> out;
  for (const auto& imp : package.impairments())
    if (imp.on_wire() && imp.applies_to(Transport::Coap)) out.push_back(imp);
  return out;
}

}  // namespace

FirmwareRepository::FirmwareRepository(coap::EventLoop& loop, coap::Trace& trace, RepositoryConfig config)
    : loop_(loop),
      trace_(trace),
      config_(std::move(config)),
      coap_(loop, trace, store_, counters_, config_.bind, endpoints_of(config_),
            CoapServing{config_.always_size2, config_.max_block_szx}) {
  auto tls = https_files(config_);
  if (config_.http) http_ = std::make_unique<HttpRepository>(trace, store_, counters_, config_.bind, config_.http_port);
  if (tls)
    https_ = std::make_unique<HttpRepository>(trace, store_, counters_, config_.bind, config_.https_port, std::move(tls));
}

FirmwareRepository::~FirmwareRepository() = default;

std::string FirmwareRepository::split_path(const std::string& path_and_query, std::vector<std::string>& query) {
  auto q = path_and_query.find('?');
  std::string path = path_and_query.substr(0, q);
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument(fmt::format("cannot publish at '{}': {}", path_and_query, why));
  };
  if (path.size() < 2 || path.front() != '/') fail("the path must start with '/' and name something");
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    auto segment = path.substr(start, end - start);
    if (segment.empty() || segment == "." || segment == "..") fail("empty, '.' or '..' path segment");
    for (char c : segment)
      if (!plain(c)) fail(fmt::format("'{}' would need percent-encoding", c));
    start = end + 1;
  }
  if (q != std::string::npos) {
    std::string rest = path_and_query.substr(q + 1);
    std::size_t from = 0;
    while (from <= rest.size()) {
      auto amp = rest.find('&', from);
      if (amp == std::string::npos) amp = rest.size();
      auto item = rest.substr(from, amp - from);
      if (item.empty()) fail("empty query item");
      for (char c : item)
        if (!plain(c) && c != '=') fail(fmt::format("'{}' in the query would need percent-encoding", c));
      query.push_back(item);
      from = amp + 1;
    }
  }
  return path;
}

PublishedPackage FirmwareRepository::publish(const std::string& path_and_query, Bytes content,
                                             std::vector<Impairment> impairments) {
  std::vector<std::string> query;
  auto path = split_path(path_and_query, query);
  auto package = std::make_shared<HostedPackage>(path, std::move(query), std::move(content), impairments);
  relays_.erase(path);
  if (package->needs_relay())
    relays_[path] = std::make_unique<ImpairmentRelay>(loop_, trace_, config_.bind, coap_.address(), impairments, path);
  counters_.open(path, package->size());
  for (auto* http : {http_.get(), https_.get()})
    if (http) http->rearm_stalls(path);
  store_.put(package);
  trace_.note("repository-coap", fmt::format("published {} ({} B, ETag {}){}", path_and_query, package->size(),
                                             to_hex(package->etag()),
                                             impairments.empty() ? "" : " with " + describe(impairments)));
  PublishedPackage out;
  out.path = path;
  out.coap_uri = coap_uri(path);
  out.http_uri = http_uri(path);
  for (const auto& scheme : schemes())
    if (scheme == "coap" || scheme == "http" || scheme == "https" || !package->needs_relay())
      out.uris[scheme] = uri(path, scheme);
  out.etag = package->etag();
  out.size = package->size();
  out.impairments = std::move(impairments);
  return out;
}

PublishedPackage FirmwareRepository::replace_content(const std::string& path, Bytes content,
                                                     std::vector<Impairment> impairments) {
  auto old = store_.find(path);
  if (!old) throw std::invalid_argument("nothing is published at '" + path + "' to replace");
  auto package = std::make_shared<HostedPackage>(path, old->query(), std::move(content), impairments);
  store_.put(package);
  trace_.note("repository-coap", fmt::format("replaced {} with new content ({} B, ETag {}, was {}){}", path,
                                             package->size(), to_hex(package->etag()), to_hex(old->etag()),
                                             impairments.empty() ? "" : " with " + describe(impairments)));
  PublishedPackage out;
  out.path = path;
  out.coap_uri = coap_uri(path);
  out.http_uri = http_uri(path);
  out.etag = package->etag();
  out.size = package->size();
  out.impairments = std::move(impairments);
  return out;
}

void FirmwareRepository::unpublish(const std::string& path_and_query) {
  auto path = path_and_query.substr(0, path_and_query.find('?'));
  store_.remove(path);
  relays_.erase(path);
  trace_.note("repository-coap", "unpublished " + path);
}

void FirmwareRepository::release_stalls(const std::string& path_and_query) {
  auto path = path_and_query.substr(0, path_and_query.find('?'));
  if (auto it = relays_.find(path); it != relays_.end()) it->second->release_stalls();
  for (auto* http : {http_.get(), https_.get()})
    if (http) http->release_stalls(path);
}

PackageCounters FirmwareRepository::counters(const std::string& path) const {
  return counters_.counters(path.substr(0, path.find('?')));
}

const ImpairmentRelay* FirmwareRepository::relay(const std::string& path) const {
  auto it = relays_.find(path.substr(0, path.find('?')));
  return it == relays_.end() ? nullptr : it->second.get();
}

bool FirmwareRepository::release_pace(const std::string& path, const Impairment& pace) {
  auto it = relays_.find(path.substr(0, path.find('?')));
  return it != relays_.end() && it->second->release_pace(pace);
}

std::string FirmwareRepository::host() const {
  const auto& h = config_.advertised_host.empty() ? config_.bind : config_.advertised_host;
  return h.find(':') != std::string::npos ? "[" + h + "]" : h;
}

std::vector<std::string> FirmwareRepository::schemes() const {
  std::vector<std::string> out;
  for (auto scheme : kSchemes) {
    bool served = false;
    if (auto transport = coap::transport_of_scheme(scheme))
      served = coap_.address(*transport).has_value();
    else
      served = scheme == "http" ? http_ != nullptr : https_ != nullptr;
    if (served) out.emplace_back(scheme);
  }
  return out;
}

std::string FirmwareRepository::uri(const std::string& path_and_query, std::string_view scheme) const {
  std::uint16_t port = 0;
  auto transport = coap::transport_of_scheme(scheme);
  if (transport) {
    auto address = coap_.address(*transport);
    if (!address) {
      bool secure = coap::is_secure(*transport);
      bool over_tcp = *transport == coap::Transport::Tcp || *transport == coap::Transport::Tls;
      std::string why = "this libcoap build cannot do it";
      if (secure && config_.coaps.mode == coap::SecurityMode::NoSec) why = "no coaps credentials are configured";
      else if (over_tcp && !config_.tcp) why = "tcp is off";
      throw std::invalid_argument(fmt::format("the repository serves no {}:// endpoint: {}", scheme, why));
    }
    port = address->port;
  } else if (scheme == "http" || scheme == "https") {
    const auto& server = scheme == "http" ? http_ : https_;
    if (!server)
      throw std::invalid_argument(fmt::format("the repository serves no {}:// endpoint: {}", scheme,
                                              scheme == "http" ? "http is off"
                                                               : "no https_certificate/https_private_key configured"));
    port = server->port();
  } else {
    throw std::invalid_argument(fmt::format("unknown scheme '{}' (coap, coaps, coap+tcp, coaps+tcp, http, https)", scheme));
  }

  auto path = path_and_query.substr(0, path_and_query.find('?'));
  auto package = store_.find(path);
  if (!package) throw std::invalid_argument("nothing is published at '" + path + "'");
  // A relay kept by replace_content still stands in front of the path.
  if (transport && (package->needs_relay() || (*transport == coap::Transport::Udp && relays_.count(path)))) {
    if (*transport != coap::Transport::Udp)
      throw std::invalid_argument(fmt::format(
          "'{}' has wire impairments ({}) that only coap:// carries (through its UDP relay); no {}:// URI for it",
          path, describe(wire_impairments(*package)), scheme));
    port = relays_.at(path)->address().port;
  }
  auto query = package->query_string();
  return fmt::format("{}://{}:{}{}{}", scheme, host(), port, path, query.empty() ? "" : "?" + query);
}

std::string FirmwareRepository::http_uri(const std::string& path_and_query) const {
  return http_ ? uri(path_and_query, "http") : std::string();
}

}  // namespace fc::repository
