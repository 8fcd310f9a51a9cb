#include "suite/server/bootstrap_server.h"

#include <coap3/coap.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/content_format.h"

namespace fc::server {

namespace code = coap::code;
using lwm2m::Path;

namespace {

// Security Mode, /0/x/2 (TS Core Appendix E.1).
std::int64_t security_mode_value(coap::SecurityMode mode) {
  switch (mode) {
    case coap::SecurityMode::Psk: return 0;
    case coap::SecurityMode::Rpk: return 1;
    case coap::SecurityMode::X509: return 2;
    case coap::SecurityMode::NoSec: break;
  }
  return 3;
}

// A Write's values for the trace and the reports: secrets by their size, never their bytes.
std::string describe_written(const lwm2m::Records& records) {
  std::string out;
  for (const auto& r : records) {
    const auto resource = r.path.ids().back();
    std::string value;
    if (r.path.ids().front() == 0 && (resource == 3 || resource == 5)) {
      const auto size = r.value.as_bytes().size();
      value = fmt::format("<{} {} bytes>", resource == 3 ? "identity" : "secret key", size);
    } else {
      value = r.value.describe();
    }
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", resource, value);
  }
  return out;
}

std::string describe_outcome(const coap::Outcome& outcome) {
  switch (outcome.kind) {
    case coap::Outcome::Kind::Response: {
      std::string text = outcome.response.code.str();
      if (!outcome.response.payload.empty()) text += ": " + fc::to_string(outcome.response.payload);
      return text;
    }
    case coap::Outcome::Kind::Timeout: return "no answer (timeout: " + outcome.error + ")";
    case coap::Outcome::Kind::Reset: return "reset (RST)";
    case coap::Outcome::Kind::Failed: break;
  }
  return "failed: " + outcome.error;
}

}  // namespace

std::string to_string(BootstrapAttempt::State state) {
  switch (state) {
    case BootstrapAttempt::State::InProgress: return "in progress";
    case BootstrapAttempt::State::Finished: return "finished";
    case BootstrapAttempt::State::Failed: break;
  }
  return "failed";
}

BootstrapServer::BootstrapServer(coap::EventLoop& loop, coap::Trace& trace, BootstrapConfig config)
    : loop_(loop), config_(std::move(config)), context_(loop, "bootstrap", trace) {
  const bool secure = coap::is_secure(config_.listen.transport);
  if (secure != (config_.listen.credentials.mode != coap::SecurityMode::NoSec))
    throw std::invalid_argument(fmt::format("bootstrap server: transport {} does not fit security mode {}",
                                            coap::scheme_of(config_.listen.transport),
                                            coap::to_string(config_.listen.credentials.mode)));
  if (secure) context_.accept_secure(config_.listen.credentials);
  address_ = context_.listen(config_.listen.bind, config_.listen.port, config_.listen.transport);
  context_.on_request([this](const coap::IncomingRequest& r) { return dispatch(r); });
  spdlog::info("bootstrap server listening on {}", uri());
}

BootstrapServer::~BootstrapServer() = default;

std::string BootstrapServer::uri() const {
  return std::string(coap::scheme_of(config_.listen.transport)) + "://" + address_.authority();
}

const BootstrapAttempt* BootstrapServer::last_attempt(const std::string& endpoint) const {
  for (auto it = attempts_.rbegin(); it != attempts_.rend(); ++it)
    if (it->endpoint == endpoint) return &*it;
  return nullptr;
}

lwm2m::Records BootstrapServer::security_instance() const {
  const std::uint16_t i = config_.security_instance;
  const auto& c = config_.dm_credentials;
  lwm2m::Records records{
      {Path{0, i, 0}, lwm2m::Value(config_.dm_server_uri)},
      {Path{0, i, 1}, lwm2m::Value(false)},
      {Path{0, i, 2}, lwm2m::Value(security_mode_value(c.mode))},
  };
  if (c.mode == coap::SecurityMode::Psk) {
    records.push_back({Path{0, i, 3}, lwm2m::Value(fc::to_bytes(c.psk_identity))});
    records.push_back({Path{0, i, 5}, lwm2m::Value(c.psk_key)});
  }
  records.push_back({Path{0, i, 10}, lwm2m::Value(std::int64_t{config_.short_server_id})});
  return records;
}

lwm2m::Records BootstrapServer::server_instance() const {
  const std::uint16_t i = config_.server_instance;
  return {
      {Path{1, i, 0}, lwm2m::Value(std::int64_t{config_.short_server_id})},
      {Path{1, i, 1}, lwm2m::Value(std::int64_t{config_.lifetime})},
      {Path{1, i, 6}, lwm2m::Value(false)},
      {Path{1, i, 7}, lwm2m::Value(config_.binding)},
  };
}

std::vector<BootstrapServer::Exchange> BootstrapServer::plan() const {
  auto request = [](coap::Code method, const Path& path) {
    coap::OutgoingRequest r;
    r.method = method;
    for (const auto& segment : path.segments()) r.uri_path.push_back(segment);
    return r;
  };
  auto write = [&](const Path& instance, const lwm2m::Records& records) {
    coap::OutgoingRequest r = request(code::Put, instance);
    r.content_format = static_cast<std::uint16_t>(lwm2m::ContentFormat::Tlv);
    r.payload = lwm2m::encode_tlv(instance, records);
    return Exchange{std::move(r), "Write " + instance.str(), describe_written(records), code::Changed};
  };
  coap::OutgoingRequest finish;
  finish.method = code::Post;
  finish.uri_path = {"bs"};
  // Bootstrap-Delete of /0 and /1 spares the bootstrap account (TS Core §6.1.7.6); every
  // client the suite meets (Anjay, Wakaama, the reference client) takes both paths.
  return {
      Exchange{request(code::Delete, Path{0}), "Delete /0", {}, code::Deleted},
      Exchange{request(code::Delete, Path{1}), "Delete /1", {}, code::Deleted},
      write(Path{0, config_.security_instance}, security_instance()),
      write(Path{1, config_.server_instance}, server_instance()),
      Exchange{std::move(finish), "Bootstrap-Finish POST /bs", {}, code::Changed},
  };
}

coap::Reply BootstrapServer::dispatch(const coap::IncomingRequest& request) {
  const auto& m = request.message;
  if (m.uri_path != std::vector<std::string>{"bs"})
    return coap::Reply::text(code::NotFound, "the bootstrap server serves only /bs");
  if (m.code != code::Post) return coap::Reply::text(code::MethodNotAllowed, "only POST (Bootstrap-Request) on /bs");
  std::string endpoint;
  std::string query;
  for (const auto& q : m.uri_query) {
    query += (query.empty() ? "?" : "&") + q;
    if (q.rfind("ep=", 0) == 0) endpoint = q.substr(3);
  }
  BootstrapAttempt attempt;
  attempt.endpoint = endpoint;
  attempt.peer = request.peer;
  attempt.started = Clock::now();
  BootstrapStep step{attempt.started, "Bootstrap-Request POST /bs" + query, {}, {}, false};
  if (endpoint.empty()) {
    step.outcome = "answered 4.00: no endpoint name (ep=)";
    attempt.steps.push_back(step);
    attempt.state = BootstrapAttempt::State::Failed;
    attempt.failure = "Bootstrap-Request from " + request.peer + " without ep= (TS Core §5.2.7.1)";
    attempts_.push_back(std::move(attempt));
    return coap::Reply::text(code::BadRequest, "Bootstrap-Request without ep=");
  }
  step.outcome = "answered 2.04 Changed";
  step.ok = true;
  attempt.steps.push_back(step);
  attempts_.push_back(std::move(attempt));
  spdlog::info("Bootstrap-Request {} from {}", endpoint, request.peer);
  context_.trace().note("bootstrap", "Bootstrap-Request from '" + endpoint + "': deleting /0 and /1, writing " +
                                         Path{0, config_.security_instance}.str() + " and " +
                                         Path{1, config_.server_instance}.str() + ", then Bootstrap-Finish");
  // The device's requests go on the session it bootstrapped on, once this answer is out.
  coap_session_t* session = request.session;
  coap_session_reference(session);
  coap::CoapContext::set_transmission(session, config_.listen.ack_timeout_s, config_.listen.max_retransmit,
                                      config_.listen.ack_random_factor);
  loop_.defer([this, index = attempts_.size() - 1, session] { run_step(index, session, plan(), 0); });
  return coap::Reply::with(code::Changed);
}

void BootstrapServer::run_step(std::size_t attempt_index, coap_session_t* session, std::vector<Exchange> plan,
                               std::size_t index) {
  auto& attempt = attempts_[attempt_index];
  if (index == plan.size()) {
    attempt.state = BootstrapAttempt::State::Finished;
    context_.trace().note("bootstrap", "bootstrap of '" + attempt.endpoint + "' finished");
    coap_session_release(session);
    return;
  }
  const Exchange& exchange = plan[index];
  auto fail = [this, &attempt, session](const std::string& why) {
    attempt.state = BootstrapAttempt::State::Failed;
    attempt.failure = why;
    spdlog::warn("bootstrap of '{}' failed: {}", attempt.endpoint, why);
    context_.trace().note("bootstrap", "bootstrap of '" + attempt.endpoint + "' failed: " + why);
    coap_session_release(session);
  };
  try {
    context_.send(session, exchange.request,
                  [this, attempt_index, session, plan, index](const coap::Outcome& outcome) {
                    auto& a = attempts_[attempt_index];
                    const Exchange& e = plan[index];
                    const bool ok =
                        outcome.kind == coap::Outcome::Kind::Response && outcome.response.code == e.expected;
                    a.steps.push_back(BootstrapStep{outcome.time, e.action, e.written, describe_outcome(outcome), ok});
                    if (!ok) {
                      a.state = BootstrapAttempt::State::Failed;
                      a.failure = fmt::format("{} answered {}, expected {} (TS Core §6.1)", e.action,
                                              describe_outcome(outcome), e.expected.str());
                      spdlog::warn("bootstrap of '{}' failed: {}", a.endpoint, a.failure);
                      context_.trace().note("bootstrap", "bootstrap of '" + a.endpoint + "' failed: " + a.failure);
                      coap_session_release(session);
                      return;
                    }
                    // Not from inside libcoap's response callback: the next request goes out at the next pump.
                    loop_.defer([this, attempt_index, session, plan, index] {
                      run_step(attempt_index, session, plan, index + 1);
                    });
                  });
  } catch (const std::exception& e) {
    attempt.steps.push_back(BootstrapStep{Clock::now(), exchange.action, exchange.written, e.what(), false});
    fail(exchange.action + " could not be sent: " + e.what());
  }
}

}  // namespace fc::server
