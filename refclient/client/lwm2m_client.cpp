#include "refclient/client/lwm2m_client.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "refclient/client/client_log.h"
#include "refclient/client/coap_messages.h"
#include "refclient/client/signal_pipe.h"
#include "refclient/firmware/mutants.h"
#include "refclient/firmware/variants.h"
#include "suite/lwm2m/content_format.h"

namespace fc::refclient {

using namespace std::chrono_literals;
using lwm2m::Path;

namespace {

constexpr auto kMaxWait = 100ms;
constexpr auto kDeregisterWait = 2s;
constexpr auto kRestartFlushWait = 1s;
// --variant merged-notifications: how long a change waits for more changes to merge with.
constexpr auto kMergeWindow = 300ms;

bool has_variant(const ClientOptions& options, std::string_view name) {
  return options.firmware.variants.count(std::string(name)) != 0;
}

LwM2MClient* client_of(coap_session_t* session) {
  return static_cast<LwM2MClient*>(coap_get_app_data(coap_session_get_context(session)));
}

std::string join_location(const std::vector<std::string>& segments) {
  std::string location;
  for (const auto& segment : segments) location += (location.empty() ? "" : "/") + segment;
  return location;
}

const char* method_name(Method method) {
  switch (method) {
    case Method::Get: return "GET";
    case Method::Post: return "POST";
    case Method::Put: return "PUT";
    case Method::Delete: return "DELETE";
    case Method::Other: break;
  }
  return "other";
}

}  // namespace

LwM2MClient::LwM2MClient(ClientOptions options)
    : options_(std::move(options)),
      router_(objects_, attributes_, options_.formats, options_.firmware.mutants),
      notifications_(exchange_limit(), has_variant(options_, variant::kMergedNotifications) ? kMergeWindow
                                                                                             : Clock::duration::zero()),
      registration_(options_.lifetime),
      sends_(options_.report_by_send, options_.firmware.mutants) {
  server_object_ = std::make_unique<ServerObject>(
      options_.lifetime, [this](std::uint32_t lifetime) { registration_.request_update(lifetime); },
      [this] { registration_.request_update(); }, has_variant(options_, variant::kServerInstance1) ? 1 : 0);
  firmware_object_ = std::make_unique<FirmwareObjectAdapter>(options_.firmware, [this] {
    restart_requested_ = true;
    install_requested_ = true;
  });
  device_object_ = std::make_unique<DeviceObject>(
      options_.device, [this] { return firmware_object_->firmware().running_version(); },
      [this] { restart_requested_ = true; });
  connectivity_object_ = std::make_unique<ConnectivityObject>(options_.connectivity);

  for (LwM2MObject* object : std::initializer_list<LwM2MObject*>{server_object_.get(), device_object_.get(),
                                                                 connectivity_object_.get(), firmware_object_.get()}) {
    objects_.add(*object);
    object->set_change_listener([this](const Path& resource) { changed(resource); });
  }
  open_session();
}

LwM2MClient::~LwM2MClient() {
  // Freeing the context fails what is still queued; those NACKs and close events are not news.
  if (context_) coap_set_app_data(context_, nullptr);
  if (session_) coap_session_release(session_);
  if (context_) coap_free_context(context_);
}

Clock::duration LwM2MClient::exchange_limit() const {
  // MAX_TRANSMIT_WAIT (RFC 7252 §4.8.2) plus a margin for the answer to travel back.
  const double span = options_.ack_timeout * (std::pow(2.0, options_.max_retransmit + 1) - 1) * options_.ack_random_factor;
  return std::chrono::milliseconds(static_cast<std::int64_t>(span * 1000.0)) + 1s;
}

void LwM2MClient::open_session() {
  coap_startup();
  server_address_ = resolve_server(options_.server);
  proto_ = coap_proto_of_scheme(options_.server.scheme).value_or(COAP_PROTO_UDP);
  security_ = std::make_unique<CoapClientSecurity>(options_.server_security, "server", client_log());
  context_ = coap_new_context(nullptr);
  if (!context_) throw std::runtime_error("libcoap: cannot create a context");
  coap_set_app_data(context_, this);
  // No COAP_BLOCK_SINGLE_BODY (nor libcoap's block handling): each Block1 of a pushed image
  // reaches the handler on its own and goes straight to the download slot.
  coap_context_set_block_mode(context_, 0);
  coap_register_response_handler(context_, on_response);
  coap_register_nack_handler(context_, on_nack);
  coap_register_event_handler(context_, on_event);
  if (is_reliable(proto_)) {
    // RFC 8323 has no retransmissions; the CSM exchange gets the same bound as any answer.
    const auto limit = std::chrono::ceil<std::chrono::seconds>(exchange_limit()).count();
    coap_context_set_csm_timeout(context_, static_cast<unsigned>(std::max<std::int64_t>(1, limit)));
  }
  add_resources();
  if (is_secure(proto_)) client_log().info("server security: {}", options_.server_security.describe());
  if (!connect()) {
    throw std::runtime_error(fmt::format("cannot open a session to {}: {}", options_.server_uri, security_->error()));
  }
}

bool LwM2MClient::connect() {
  session_used_ = false;
  session_ = security_->open(context_, server_address_, proto_, options_.server.host);
  if (!session_) {
    client_log().error("cannot open a {} session to {}: {}", proto_name(proto_), options_.server_uri,
                       security_->error());
    return false;
  }
  coap_session_set_ack_timeout(session_, fixed_point(options_.ack_timeout));
  coap_session_set_ack_random_factor(session_, fixed_point(options_.ack_random_factor));
  coap_session_set_max_retransmit(session_, static_cast<uint16_t>(options_.max_retransmit));
  return true;
}

void LwM2MClient::reconnect() {
  if (session_) {
    coap_session_t* old = session_;
    session_ = nullptr;  // its closing events are not news any more
    coap_session_disconnected(old, COAP_NACK_NOT_DELIVERABLE);
    coap_session_release(old);
  }
  client_log().debug("new {} session to {}", proto_name(proto_), options_.server_uri);
  connect();
}

int LwM2MClient::on_event(coap_session_t* session, const coap_event_t event) {
  auto* self = client_of(session);
  if (!self || session != self->session_) return 0;
  if (event == COAP_EVENT_DTLS_CONNECTED) {
    client_log().info("secure session with {} established", self->options_.server_uri);
  }
  if (const auto failure = session_failure_text(event)) self->session_lost(*failure);
  return 0;
}

void LwM2MClient::session_lost(const std::string& what) {
  std::string why = what;
  if (!security_->error().empty()) why += "; " + security_->error();
  if (pending_) {
    registration_failed(why);
    return;
  }
  if (registration_.state() == RegistrationState::Registered) {
    client_log().warn("session with {} lost: {}; registering again", options_.server_uri, why);
    registration_.update_failed(Clock::now());
  }
}

void LwM2MClient::add_resource(const Path& path) {
  std::string uri = path.str().substr(1);
  auto* resource = coap_resource_init(coap_make_str_const(uri.c_str()), COAP_RESOURCE_FLAGS_NOTIFY_CON);
  if (!resource) throw std::runtime_error("libcoap: cannot create resource " + path.str());
  for (auto method : {COAP_REQUEST_GET, COAP_REQUEST_PUT, COAP_REQUEST_POST, COAP_REQUEST_DELETE}) {
    coap_register_handler(resource, method, on_request);
  }
  coap_resource_set_get_observable(resource, 1);
  coap_add_resource(context_, resource);
  resources_[path] = resource;
}

void LwM2MClient::add_resources() {
  for (const auto* object : objects_.all()) {
    add_resource(Path{object->id()});
    for (auto instance : object->instances()) {
      add_resource(Path{object->id(), instance});
      for (const auto& def : object->resources()) {
        const Path resource{object->id(), instance, def.id};
        add_resource(resource);
        if (!def.multiple || !def.readable) continue;
        if (const auto records = object->read(instance, def.id)) {
          for (const auto& record : *records) {
            if (record.path.is_resource_instance()) add_resource(record.path);
          }
        }
      }
    }
  }
  // Everything else (unknown objects, the root) still gets LwM2M's answers rather than
  // libcoap's defaults (which would answer a DELETE of an unknown path with 2.02).
  auto* unknown = coap_resource_unknown_init(on_request);
  for (auto method : {COAP_REQUEST_GET, COAP_REQUEST_POST, COAP_REQUEST_DELETE}) {
    coap_register_handler(unknown, method, on_request);
  }
  coap_add_resource(context_, unknown);
}

void LwM2MClient::on_request(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request,
                             const coap_string_t*, coap_pdu_t* response) {
  if (auto* self = client_of(session)) self->serve(session, request, response);
}

void LwM2MClient::serve(const coap_session_t* session, const coap_pdu_t* request, coap_pdu_t* response) {
  const auto decoded = decode_request(request, coap_session_get_proto(session));
  if (!decoded.request) {
    encode_response(response, decoded.rejection);
    return;
  }
  const DmRequest& dm = *decoded.request;

  // libcoap builds notifications by calling the GET handler again with the stored request;
  // those responses are the only ones sent as CON (answers to requests are ACK or NON).
  if (coap_pdu_get_type(response) == COAP_MESSAGE_CON) {
    const auto answer = router_.render(dm.path, dm.accept, notifications_.payload_for(dm.path));
    client_log().debug("notify {} -> {} {}", dm.path.str(), answer.code_text(), printable(answer.payload));
    encode_response(response, answer);
    return;
  }

  const auto answer = router_.handle(dm);
  const bool discover = dm.accept == static_cast<std::uint16_t>(lwm2m::ContentFormat::LinkFormat);
  if (dm.method == Method::Get && dm.observe && answer.ok() && !discover) {
    if (*dm.observe == COAP_OBSERVE_ESTABLISH && resources_.contains(dm.path)) {
      notifications_.observed(dm.path, token_of(request), Clock::now(), router_.snapshot(dm.path));
      client_log().info("observe {} (token {})", dm.path.str(), to_hex(token_of(request)));
    } else if (*dm.observe == COAP_OBSERVE_CANCEL) {
      notifications_.cancelled(token_of(request));
      client_log().info("observe {} cancelled", dm.path.str());
    }
  }
  const auto level = answer.ok() ? spdlog::level::debug : spdlog::level::info;
  client_log().log(level, "{} {}{} -> {}{}", method_name(dm.method), dm.path.str(),
                   dm.block1 ? fmt::format(" block1 #{}{}", dm.block1->num, dm.block1->more ? "+" : "") : "",
                   answer.code_text(), answer.ok() ? std::string() : " " + printable(answer.payload));
  encode_response(response, answer);
}

void LwM2MClient::changed(const Path& resource) {
  if (sends_.enabled() && SendReporter::reports(resource))
    if (auto snapshot = router_.snapshot(resource)) sends_.changed(resource, std::move(*snapshot));
  for (const auto& observed : notifications_.observed_paths()) {
    if (!observed.contains(resource) && !resource.contains(observed)) continue;
    if (auto snapshot = router_.snapshot(observed)) {
      notifications_.changed(observed, std::move(*snapshot), attributes_.effective(observed));
    }
  }
}

void LwM2MClient::send_registration(const RegistrationRequest& request, Clock::time_point now) {
  using Kind = RegistrationRequest::Kind;
  // Over DTLS, TCP and TLS a Register always starts a fresh session: the server may have lost
  // the old one (restart), and a new (D)TLS session means a full Register anyway.
  if (request.kind == Kind::Register && (proto_ != COAP_PROTO_UDP) && (session_used_ || !session_)) reconnect();
  if (!session_) {
    pending_ = PendingRequest{{}, request.kind, now};
    registration_failed("no session to the server");
    return;
  }
  session_used_ = true;
  if (!session_ready()) {
    pending_ = PendingRequest{{}, request.kind, now + exchange_limit()};
    deferred_ = request;
    return;
  }
  transmit_registration(request, now + exchange_limit());
}

bool LwM2MClient::session_ready() const {
  return session_ && (!is_reliable(proto_) || coap_session_get_state(session_) == COAP_SESSION_STATE_ESTABLISHED);
}

void LwM2MClient::transmit_registration(const RegistrationRequest& request, Clock::time_point deadline) {
  using Kind = RegistrationRequest::Kind;
  const auto code = request.kind == Kind::Deregister ? COAP_REQUEST_CODE_DELETE : COAP_REQUEST_CODE_POST;
  coap_pdu_t* pdu = coap_new_pdu(COAP_MESSAGE_CON, code, session_);
  if (!pdu) {
    pending_ = PendingRequest{{}, request.kind, deadline};
    registration_failed("libcoap cannot allocate the request");
    return;
  }
  uint8_t token[8];
  size_t token_length = 0;
  coap_session_new_token(session_, &token_length, token);
  coap_add_token(pdu, token_length, token);

  std::string description;
  if (request.kind == Kind::Register) {
    RegistrationSettings settings{options_.endpoint, registration_.lifetime(), options_.lwm2m_version, "U",
                                  options_.queue_mode};
    const auto payload = registration_payload(options_.lwm2m_version, objects_, options_.formats);
    add_string_option(pdu, COAP_OPTION_URI_PATH, "rd");
    add_uint_option(pdu, COAP_OPTION_CONTENT_FORMAT, static_cast<std::uint32_t>(lwm2m::ContentFormat::LinkFormat));
    std::string query;
    for (const auto& item : register_queries(settings)) {
      add_string_option(pdu, COAP_OPTION_URI_QUERY, item);
      query += (query.empty() ? "?" : "&") + item;
    }
    coap_add_data(pdu, payload.size(), reinterpret_cast<const uint8_t*>(payload.data()));
    description = fmt::format("Register POST /rd{} {}", query, payload);
  } else {
    std::string location = registration_.location();
    std::size_t start = 0;
    while (start <= location.size()) {
      const auto end = std::min(location.find('/', start), location.size());
      add_string_option(pdu, COAP_OPTION_URI_PATH, location.substr(start, end - start));
      start = end + 1;
    }
    if (request.kind == Kind::Update) {
      description = fmt::format("Update POST /{}", location);
      if (request.lifetime) {
        add_string_option(pdu, COAP_OPTION_URI_QUERY, fmt::format("lt={}", *request.lifetime));
        description += fmt::format("?lt={}", *request.lifetime);
      }
    } else {
      description = fmt::format("De-register DELETE /{}", location);
    }
  }

  const Bytes sent_token(token, token + token_length);
  pending_ = PendingRequest{sent_token, request.kind, deadline};
  client_log().info("{} -> {}", description, options_.server_uri);
  if (coap_send(session_, pdu) == COAP_INVALID_MID && pending_ && pending_->token == sent_token) {
    registration_failed("libcoap could not send it");
  }
}

void LwM2MClient::registration_answered(const coap_pdu_t* response) {
  using Kind = RegistrationRequest::Kind;
  const auto kind = pending_->kind;
  pending_.reset();
  const auto now = Clock::now();
  const auto code = coap_pdu_get_code(response);
  size_t length = 0;
  const uint8_t* data = nullptr;
  std::string diagnostic;
  if (coap_get_data(response, &length, &data) && length > 0) diagnostic = " " + printable(ByteView(data, length));

  switch (kind) {
    case Kind::Register: {
      const auto location = join_location(string_options(response, COAP_OPTION_LOCATION_PATH));
      if (code == COAP_RESPONSE_CODE_CREATED && !location.empty()) {
        registration_.registered(location, now);
        notifications_.clear();  // a new registration voids every observation
        firmware_object_->firmware().registered();
        // After a boot (an install, a Reboot) State and Update Result are Sent as they are: the
        // boot step changes them before any registration, so no change reports them.
        for (const auto& path : {Path{5, 0, 3}, Path{5, 0, 5}})
          if (auto snapshot = router_.snapshot(path); snapshot && sends_.enabled()) sends_.changed(path, std::move(*snapshot));
        awake_until_ = now + options_.awake_time;
        last_wake_ = now;
        client_log().info("registered as /{} (ep={}, lt={}, lwm2m={})", location, options_.endpoint,
                          registration_.lifetime(), options_.lwm2m_version);
        return;
      }
      registration_.register_failed(now);
      client_log().warn("Register answered {}{}{}; next attempt in {} ms", code_text(code),
                        location.empty() ? " without Location-Path" : "", diagnostic,
                        std::chrono::duration_cast<std::chrono::milliseconds>(registration_.time_until_wakeup(now)).count());
      return;
    }
    case Kind::Update:
      if (code == COAP_RESPONSE_CODE_CHANGED) {
        registration_.updated(now);
        awake_until_ = now + options_.awake_time;
        last_wake_ = now;
        client_log().info("registration updated (/{})", registration_.location());
        return;
      }
      registration_.update_failed(now);
      client_log().warn("Update answered {}{}; registering again", code_text(code), diagnostic);
      return;
    case Kind::Deregister:
      registration_.deregistered();
      client_log().info("de-registered ({})", code_text(code));
      return;
  }
}

void LwM2MClient::registration_failed(const std::string& why) {
  using Kind = RegistrationRequest::Kind;
  deferred_.reset();
  if (!pending_) return;
  const auto kind = pending_->kind;
  pending_.reset();
  const auto now = Clock::now();
  switch (kind) {
    case Kind::Register:
      registration_.register_failed(now);
      client_log().warn("Register failed: {}; next attempt in {} ms", why,
                        std::chrono::duration_cast<std::chrono::milliseconds>(registration_.time_until_wakeup(now)).count());
      return;
    case Kind::Update:
      registration_.update_failed(now);
      client_log().warn("Update failed: {}; registering again", why);
      return;
    case Kind::Deregister:
      registration_.deregistered();
      client_log().warn("De-register failed: {}", why);
      return;
  }
}

coap_response_t LwM2MClient::on_response(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* received,
                                         coap_mid_t) {
  auto* self = client_of(session);
  if (!self) return COAP_RESPONSE_OK;
  const auto token = token_of(received);
  if (self->pending_ && token == self->pending_->token) self->registration_answered(received);
  else self->sends_.answered(token, coap_pdu_get_code(received));
  return COAP_RESPONSE_OK;
}

void LwM2MClient::on_nack(coap_session_t* session, const coap_pdu_t* sent, coap_nack_reason_t reason, coap_mid_t) {
  auto* self = client_of(session);
  if (!self || !sent) return;
  const auto token = token_of(sent);
  if (self->pending_ && token == self->pending_->token) {
    std::string why(nack_reason_text(reason));
    if (!self->security_->error().empty()) why += "; " + self->security_->error();
    self->registration_failed(why);
    return;
  }
  if (self->sends_.failed(token, std::string(nack_reason_text(reason)))) return;
  if (reason == COAP_NACK_RST) self->notifications_.cancelled(token);
}

void LwM2MClient::iterate(Clock::duration max_wait) {
  auto now = Clock::now();
  if (pending_ && now >= pending_->deadline) {
    registration_failed(deferred_ ? "the connection was not established in time" : "no answer in time");
  }
  if (deferred_ && pending_ && session_ready()) {
    const auto request = *deferred_;
    deferred_.reset();
    transmit_registration(request, pending_->deadline);
  }
  // Queue mode: an Update every update_interval is what makes the client reachable again.
  const bool registered = registration_.state() == RegistrationState::Registered;
  if (options_.queue_mode && registered && !pending_ && now - last_wake_ >= options_.update_interval) {
    last_wake_ = now;
    registration_.request_update();
  }
  // no-update-while-downloading: a client busy pulling holds its Updates back (Registers still go).
  const bool updates_held = registered && firmware_object_->firmware().state() == 1 &&
                            options_.firmware.mutants.count(std::string(mutant::kNoUpdateWhileDownloading)) != 0;
  if (!pending_ && !updates_held) {
    if (const auto request = registration_.next_request(now)) send_registration(*request, now);
  }
  const bool sleeping = asleep(now);

  const auto attributes_of = [this](const Path& p) {
    auto effective = attributes_.effective(p);
    if (options_.firmware.mutants.count(std::string(mutant::kPmaxIgnored)) != 0) effective.pmax.reset();
    return effective;
  };
  // A Send goes out only while registered (TS Core 6.4.8: to a server it is registered with).
  if (registered && !sleeping && session_ready()) sends_.pump(session_, now, exchange_limit());

  if (!sleeping) {
    if (const auto path = notifications_.release(now, attributes_of)) {
      const auto found = resources_.find(*path);
      if (found == resources_.end() || !coap_resource_notify_observers(found->second, nullptr)) {
        notifications_.not_observed(*path);
      }
    }
  }

  auto& firmware = firmware_object_->firmware();
  auto timeout = std::min<Clock::duration>(max_wait, std::chrono::milliseconds(std::max(0, firmware.next_timeout_ms())));
  if (!pending_ && !updates_held) {
    timeout = std::min(timeout, registration_.time_until_wakeup(now));
  }
  if (notifications_.in_flight()) timeout = std::min<Clock::duration>(timeout, 5ms);
  if (sleeping) timeout = std::min<Clock::duration>(timeout, std::max<Clock::duration>(0ms, last_wake_ + options_.update_interval - now));

  std::vector<pollfd> fds;
  // Asleep, the radio is off: what the server sends waits in the socket until the next wake.
  if (const int coap_fd = coap_context_get_coap_fd(context_); coap_fd >= 0 && !sleeping)
    fds.push_back({coap_fd, POLLIN, 0});
  if (stop_fd_ >= 0) fds.push_back({stop_fd_, POLLIN, 0});
  for (const int fd : firmware.wait_fds()) fds.push_back({fd, POLLIN, 0});
  const auto millis = std::chrono::ceil<std::chrono::milliseconds>(timeout).count();
  poll(fds.data(), fds.size(), static_cast<int>(millis));
  if (stop_fd_ >= 0 && drain_stop_signal_pipe(stop_fd_)) stop_requested_ = true;

  if (!sleeping) coap_io_process(context_, COAP_IO_NO_WAIT);
  notifications_.after_io(Clock::now());
  firmware.poll();
}

bool LwM2MClient::asleep(Clock::time_point now) const {
  return options_.queue_mode && registration_.state() == RegistrationState::Registered && !pending_ &&
         now >= awake_until_;
}

RunOutcome LwM2MClient::run(int stop_fd) {
  stop_fd_ = stop_fd;
  client_log().info("fotacheck-refclient {} starting: server {} over {}, firmware {}, /5 version {}", options_.endpoint,
                    options_.server_uri, proto_name(proto_), firmware_object_->firmware().running_version(),
                    options_.firmware.object_version);
  while (true) {
    if (stop_requested_) return shut_down();
    if (restart_requested_) {
      flush_notifications();
      return RunOutcome{0, true, install_requested_};
    }
    iterate(kMaxWait);
  }
}

RunOutcome LwM2MClient::shut_down() {
  // A Register sent over a session that never came up (a DTLS or TLS handshake the server
  // refuses, e.g. for a key it does not accept) cannot have reached the server: there is no
  // registration to end, and waiting for its outcome would only hold the exit back.
  if (registration_.state() == RegistrationState::Registering &&
      (!session_ || coap_session_get_state(session_) != COAP_SESSION_STATE_ESTABLISHED)) {
    client_log().info("stop requested: not registered (the session to the server never came up); exiting");
    return RunOutcome{0, false};
  }
  client_log().info("stop requested: de-registering");
  registration_.request_deregister();
  const Deadline deadline(kDeregisterWait);
  while (registration_.state() != RegistrationState::Deregistered && !deadline.passed()) {
    iterate(std::min<Clock::duration>(deadline.remaining(), 20ms));
  }
  if (registration_.state() != RegistrationState::Deregistered) {
    client_log().warn("no answer to De-register within {} s; exiting anyway",
                      std::chrono::duration_cast<std::chrono::seconds>(kDeregisterWait).count());
  }
  return RunOutcome{0, false};
}

void LwM2MClient::flush_notifications() {
  const Deadline deadline(kRestartFlushWait);
  while (!deadline.passed() && !(notifications_.idle() && sends_.idle() && coap_can_exit(context_))) iterate(10ms);
}

}  // namespace fc::refclient
