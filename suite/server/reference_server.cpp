#include "suite/server/reference_server.h"

#include <coap3/coap.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace fc::server {

namespace code = coap::code;

namespace {
void check_security(const ServerConfig& config) {
  std::string scheme(coap::scheme_of(config.transport));
  std::string mode(coap::to_string(config.credentials.mode));
  if (coap::is_secure(config.transport) && config.credentials.mode == coap::SecurityMode::NoSec)
    throw std::invalid_argument("server config: transport " + scheme +
                                " needs credentials (PSK, RPK or X.509), but the mode is NoSec");
  if (!coap::is_secure(config.transport) && config.credentials.mode != coap::SecurityMode::NoSec)
    throw std::invalid_argument("server config: " + mode + " credentials need a secure transport (coaps or "
                                "coaps+tcp), but the transport is " + scheme);
}
}  // namespace

ReferenceServer::ReferenceServer(coap::EventLoop& loop, coap::Trace& trace, ServerConfig config)
    : loop_(loop),
      config_(std::move(config)),
      context_(loop, "lwm2m", trace),
      registration_(config_, registry_),
      send_(registry_) {
  check_security(config_);
  if (coap::is_secure(config_.transport)) context_.accept_secure(config_.credentials);
  address_ = context_.listen(config_.bind, config_.port, config_.transport);
  context_.on_request([this](const coap::IncomingRequest& r) { return dispatch(r); });
  schedule_expiry();
  spdlog::info("reference LwM2M server listening on {}", uri());
}

ReferenceServer::~ReferenceServer() { loop_.cancel(expiry_timer_); }

std::string ReferenceServer::uri() const {
  return std::string(coap::scheme_of(config_.transport)) + "://" + address_.authority();
}

void ReferenceServer::schedule_expiry() {
  expiry_timer_ = loop_.schedule(Clock::now() + std::chrono::seconds(1), [this] {
    registry_.expire(Clock::now());
    schedule_expiry();
  });
}

coap::Reply ReferenceServer::dispatch(const coap::IncomingRequest& request) {
  if (SendInterface::handles(request.message)) return send_.handle(request);
  if (!RegistrationInterface::handles(request.message))
    return coap::Reply::text(code::NotFound, "the LwM2M server serves only /rd and /dp");
  auto before = request.message.uri_path.size() == 1 ? registry_.events().size() : std::size_t{0};
  coap::Reply reply = registration_.handle(request);
  // A successful Register voids the endpoint's earlier observations (TS Core §6.2.1).
  if (reply.code == code::Created && registry_.events().size() > before) {
    void_observations(registry_.events().back().endpoint);
  }
  return reply;
}

void ReferenceServer::track(const std::shared_ptr<Observation>& observation, const std::string& endpoint) {
  observations_.push_back(Tracked{observation, endpoint});
}

void ReferenceServer::void_observations(const std::string& endpoint) {
  unsigned current = registry_.generation_of(endpoint);
  std::vector<Tracked> kept;
  for (auto& t : observations_) {
    auto obs = t.observation.lock();
    if (!obs) continue;
    if (t.endpoint == endpoint && obs->generation() < current) {
      context_.forget(obs->token());
      obs->active_ = false;
      continue;
    }
    kept.push_back(std::move(t));
  }
  observations_ = std::move(kept);
}

bool ReferenceServer::await_registration(const std::string& endpoint, const Deadline& deadline,
                                         unsigned after_generation, const std::function<bool()>& give_up) {
  auto registered = [&] {
    const auto* r = registry_.find_by_endpoint(endpoint);
    return r && r->generation > after_generation;
  };
  loop_.await([&] { return registered() || (give_up && give_up()); }, deadline);
  return registered();
}

bool ReferenceServer::await_reachable(const std::string& endpoint, std::string& why) {
  const auto* r = registry_.find_by_endpoint(endpoint);
  const auto now = Clock::now();
  if (!r || r->reachable(now)) return true;  // an unregistered device is the caller's to report
  const auto lifetime = r->lifetime;
  const auto asleep_for = std::chrono::duration_cast<Duration>(now - r->reachable_until);
  const auto until_expiry = std::max(Duration::zero(), std::chrono::duration_cast<Duration>(r->expires_at() - now));
  // Until its lifetime ends, and one exchange more for an Update sent at the last moment.
  loop_.await(
      [&] {
        const auto* current = registry_.find_by_endpoint(endpoint);
        return !current || current->reachable(Clock::now());
      },
      Deadline(until_expiry + config_.operation_timeout));
  const auto waited = std::chrono::duration_cast<Duration>(Clock::now() - now);
  const auto* current = registry_.find_by_endpoint(endpoint);
  if (!current) {
    // Gone while the request waited: a registration that lapsed is a device that never woke;
    // one that De-registered is the caller's to report as not registered.
    const auto& events = registry_.events();
    auto last = std::find_if(events.rbegin(), events.rend(), [&](const auto& e) { return e.endpoint == endpoint; });
    if (last == events.rend() || last->kind != RegistrationEventKind::Expired) return true;
  }
  if (current && current->reachable(Clock::now())) {
    // In the case's trace: the request went out late because the device slept, not because
    // the server was slow.
    context_.trace().note("lwm2m", fmt::format("queue mode: {} was asleep; the request waited {} ms for its Update",
                                               endpoint, waited.count()));
    return true;
  }
  ++never_woke_;
  never_woke_diagnosis_ = fmt::format(
      "the device is in queue mode (registered with Q) and did not wake: no Update or Register within its lifetime "
      "(lt={} s) while a request waited; it had been asleep {} ms when the request was made",
      lifetime, asleep_for.count());
  why = never_woke_diagnosis_;
  return false;
}

bool ReferenceServer::await_deregistration(const std::string& endpoint, const Deadline& deadline) {
  return loop_.await([&] { return registry_.find_by_endpoint(endpoint) == nullptr; }, deadline);
}

}  // namespace fc::server
