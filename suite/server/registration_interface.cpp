#include "suite/server/registration_interface.h"

#include "suite/coap/context.h"

#include <coap3/coap.h>
#include <spdlog/spdlog.h>

#include "suite/lwm2m/codec_error.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/registration_params.h"

namespace fc::server {

using coap::Reply;
namespace code = coap::code;

namespace {
constexpr std::uint32_t kDefaultLifetime = 86400;  // TS Core: lt defaults to 86400 s

std::string describe_objects(const lwm2m::RegisteredObjects& objects) {
  std::string out;
  for (const auto& o : objects.objects) {
    out += (out.empty() ? "" : ",") + o.path.str();
    if (o.version) out += ";ver=" + *o.version;
  }
  return out;
}

// Register and Update carry a link-format object list; LwM2M clients also send it as
// text/plain (Wakaama) or without a Content-Format.
std::optional<std::string> object_list_format_problem(const coap::Message& m) {
  if (!m.content_format) return std::nullopt;
  auto cf = *m.content_format;
  if (cf == static_cast<std::uint16_t>(lwm2m::ContentFormat::LinkFormat) ||
      cf == static_cast<std::uint16_t>(lwm2m::ContentFormat::Text))
    return std::nullopt;
  return "object list in Content-Format " + std::to_string(cf) + ", expected 40 (application/link-format)";
}
}  // namespace

bool RegistrationInterface::handles(const coap::Message& request) {
  return !request.uri_path.empty() && request.uri_path.front() == "rd";
}

Reply RegistrationInterface::handle(const coap::IncomingRequest& request) {
  drop_stale_partial_bodies(Clock::now());
  if (request.message.block1 && request.message.code == code::Post && request.message.uri_path.size() <= 2)
    return reassemble(request);
  return dispatch_whole(request);
}

void RegistrationInterface::drop_stale_partial_bodies(Clock::time_point now) {
  std::erase_if(partial_, [&](const auto& entry) { return now - entry.second.last_block >= kPartialBodyLifetime; });
}

// RFC 7959 §2.3 on the server side: blocks in order, 2.31 Continue for each but the last, the
// last completing the request; a gap is 4.08 and the partial body is dropped.
Reply RegistrationInterface::reassemble(const coap::IncomingRequest& request) {
  const auto& m = request.message;
  const coap::BlockOption block = *m.block1;
  const bool is_register = m.uri_path.size() == 1;
  const auto kind = is_register ? RegistrationEventKind::Registered : RegistrationEventKind::Updated;
  std::string endpoint;
  if (is_register) {
    for (const auto& q : m.uri_query)
      if (q.rfind("ep=", 0) == 0) endpoint = q.substr(3);
  } else if (const auto* r = registry_.find_by_id(m.uri_path[1])) {
    endpoint = r->endpoint;
  }
  std::string key = request.peer + " " + m.path();
  for (std::size_t i = 0; i < m.uri_query.size(); ++i) key += (i ? "&" : "?") + m.uri_query[i];
  auto refuse = [&](coap::Code c, const std::string& why) {
    partial_.erase(key);
    return reject(request, kind, c, endpoint, why);
  };

  if (block.szx == 7) return refuse(code::BadRequest, "Block1 with SZX 7 (BERT) is for CoAP over TCP only (RFC 8323 §6)");
  const std::size_t offset = block.offset();
  if ((m.size1 && *m.size1 > kMaxObjectListBytes) || offset + m.payload.size() > kMaxObjectListBytes) {
    Reply reply = refuse(code::RequestEntityTooLarge, "object list over the " + std::to_string(kMaxObjectListBytes) +
                                                          " bytes this server takes");
    reply.size1 = static_cast<std::uint32_t>(kMaxObjectListBytes);
    return reply;
  }
  if (block.more && m.payload.size() != block.size())
    return refuse(code::BadRequest, "Block1 block " + block.str() + " carries " + std::to_string(m.payload.size()) +
                                        " bytes; a block other than the last is exactly its size (RFC 7959 §2.2)");
  auto it = partial_.find(key);
  if (block.num == 0) {
    it = partial_.insert_or_assign(key, PartialBody{}).first;
  } else if (it == partial_.end()) {
    return refuse(code::RequestEntityIncomplete,
                  "Block1 block " + block.str() + " without the blocks before it (RFC 7959 §2.3)");
  } else if (offset != it->second.body.size()) {
    return refuse(code::RequestEntityIncomplete, "Block1 block " + block.str() + " starts at byte " +
                                                     std::to_string(offset) + ", the body so far has " +
                                                     std::to_string(it->second.body.size()) + " (RFC 7959 §2.3)");
  }
  it->second.body.insert(it->second.body.end(), m.payload.begin(), m.payload.end());
  it->second.last_block = Clock::now();

  if (block.more) {
    if (partial_.size() > kMaxPartialBodies) {
      auto oldest = partial_.begin();
      for (auto p = partial_.begin(); p != partial_.end(); ++p)
        if (p->second.last_block < oldest->second.last_block) oldest = p;
      spdlog::warn("dropping the partial Block1 body of {}: more than {} transfers at once", oldest->first,
                   kMaxPartialBodies);
      partial_.erase(oldest);
    }
    Reply reply = Reply::with(code::Continue);
    reply.block1 = block;
    return reply;
  }
  coap::IncomingRequest whole = request;
  whole.message.payload = std::move(it->second.body);
  whole.message.block1.reset();
  whole.message.size1.reset();
  partial_.erase(it);
  Reply reply = dispatch_whole(whole);
  reply.block1 = block;
  return reply;
}

Reply RegistrationInterface::dispatch_whole(const coap::IncomingRequest& request) {
  const auto& path = request.message.uri_path;
  const auto method = request.message.code;
  if (path.size() == 1) {
    if (method == code::Post) return do_register(request);
    return Reply::text(code::MethodNotAllowed, "only POST (Register) is allowed on /rd");
  }
  if (path.size() == 2) {
    if (method == code::Post) return do_update(request, path[1]);
    if (method == code::Delete) return do_deregister(request, path[1]);
    return Reply::text(code::MethodNotAllowed, "only POST (Update) and DELETE (De-register) on a registration");
  }
  return Reply::text(code::NotFound, "no such registration resource");
}

Reply RegistrationInterface::reject(const coap::IncomingRequest& request, RegistrationEventKind kind, coap::Code c,
                                    const std::string& endpoint, const std::string& why) {
  spdlog::warn("{} from {} refused with {}: {}", to_string(kind), request.peer, c.str(), why);
  registry_.record(RegistrationEvent{Clock::now(), RegistrationEventKind::Rejected, endpoint, {}, c,
                                     to_string(kind) + ": " + why, 0, request.peer});
  return Reply::text(c, why);
}

Reply RegistrationInterface::do_register(const coap::IncomingRequest& request) {
  const auto& m = request.message;
  lwm2m::RegistrationParams params;
  try {
    params = lwm2m::parse_registration_params(m.uri_query);
  } catch (const lwm2m::RegistrationParamError& e) {
    return reject(request, RegistrationEventKind::Registered, code::BadRequest, {}, e.what());
  }
  std::string endpoint = params.endpoint.value_or("");
  if (endpoint.empty())
    return reject(request, RegistrationEventKind::Registered, code::BadRequest, {},
                  "Register without an endpoint name (ep); with NoSec there is no identity to take it from");
  std::string notes;
  if (!params.lwm2m_version) notes = "no lwm2m= parameter, taken as 1.0; ";
  std::string version = params.lwm2m_version.value_or("1.0");
  if (!config_.accepted_lwm2m_versions.count(version))
    return reject(request, RegistrationEventKind::Registered, code::PreconditionFailed, endpoint,
                  "LwM2M version " + version + " is not accepted by this server");
  if (auto problem = object_list_format_problem(m))
    return reject(request, RegistrationEventKind::Registered, code::BadRequest, endpoint, *problem);

  lwm2m::RegisteredObjects objects;
  try {
    objects = lwm2m::parse_registered_objects(fc::to_string(m.payload));
  } catch (const lwm2m::CodecError& e) {
    return reject(request, RegistrationEventKind::Registered, code::BadRequest, endpoint,
                  std::string("object list does not parse: ") + e.what());
  }

  Registration r;
  r.endpoint = endpoint;
  r.lifetime = params.lifetime.value_or(kDefaultLifetime);
  if (!params.lifetime) notes += "no lt= parameter, default 86400 s; ";
  r.lwm2m_version = version;
  r.binding = params.binding.value_or("U");
  r.queue_mode = params.queue_mode;
  r.sms = params.sms;
  r.objects = std::move(objects);
  r.registered_at = r.last_update = Clock::now();
  r.reachable_until = r.last_update + config_.queue_window;
  r.session = request.session;
  // The server's requests to the device retransmit with the device's own CoAP parameters (the
  // profile's timing), not libcoap's defaults: a device that stops answering is seen as such
  // within the deadlines the cases derive from the same parameters.
  if (request.session) coap::CoapContext::set_transmission(request.session, config_.ack_timeout_s, config_.max_retransmit,
                                                          config_.ack_random_factor);
  r.peer = request.peer;
  const auto& stored = registry_.add(std::move(r));

  std::string detail = notes + "lt=" + std::to_string(stored.lifetime) + " lwm2m=" + stored.lwm2m_version +
                       " b=" + stored.binding + (stored.queue_mode ? " Q" : "") + " objects=" +
                       describe_objects(stored.objects);
  registry_.record(RegistrationEvent{stored.registered_at, RegistrationEventKind::Registered, stored.endpoint,
                                     stored.id, code::Created, detail, stored.generation, stored.peer});
  spdlog::info("Register {} from {} → {} ({})", stored.endpoint, stored.peer, stored.location(), detail);
  Reply reply = Reply::with(code::Created);
  reply.location_path = {"rd", stored.id};
  return reply;
}

Reply RegistrationInterface::do_update(const coap::IncomingRequest& request, const std::string& id) {
  const auto& m = request.message;
  Registration* r = registry_.find_by_id(id);
  if (!r) return reject(request, RegistrationEventKind::Updated, code::NotFound, {}, "no registration /rd/" + id);
  lwm2m::RegistrationParams params;
  try {
    params = lwm2m::parse_registration_params(m.uri_query);
  } catch (const lwm2m::RegistrationParamError& e) {
    return reject(request, RegistrationEventKind::Updated, code::BadRequest, r->endpoint, e.what());
  }
  if (params.endpoint || params.lwm2m_version)
    return reject(request, RegistrationEventKind::Updated, code::BadRequest, r->endpoint,
                  "Update may carry only lt, b, sms and Q; ep and lwm2m belong to Register");
  std::optional<lwm2m::RegisteredObjects> objects;
  if (!m.payload.empty()) {
    if (auto problem = object_list_format_problem(m))
      return reject(request, RegistrationEventKind::Updated, code::BadRequest, r->endpoint, *problem);
    try {
      objects = lwm2m::parse_registered_objects(fc::to_string(m.payload));
    } catch (const lwm2m::CodecError& e) {
      return reject(request, RegistrationEventKind::Updated, code::BadRequest, r->endpoint,
                    std::string("object list does not parse: ") + e.what());
    }
  }
  std::string detail;
  if (params.lifetime) {
    r->lifetime = *params.lifetime;
    detail += "lt=" + std::to_string(r->lifetime) + " ";
  }
  if (params.binding) {
    r->binding = *params.binding;
    detail += "b=" + r->binding + " ";
  }
  // Q in an Update (or a binding with or without Q) changes the queue mode (TS Core 6.2.2).
  if (params.binding || params.queue_mode) {
    r->queue_mode = params.queue_mode;
    detail += r->queue_mode ? "Q " : "";
  }
  if (params.sms) r->sms = params.sms;
  if (objects) {
    r->objects = std::move(*objects);
    detail += "objects=" + describe_objects(r->objects);
  }
  if (detail.empty()) detail = "lifetime refresh";
  r->last_update = Clock::now();
  r->reachable_until = r->last_update + config_.queue_window;
  // The device may have changed address (NAT rebinding, new socket): talk to it where it is now.
  if (request.session != r->session) {
    coap_session_reference(request.session);
    if (r->session) coap_session_release(r->session);
    r->session = request.session;
    coap::CoapContext::set_transmission(request.session, config_.ack_timeout_s, config_.max_retransmit,
                                                          config_.ack_random_factor);
    r->peer = request.peer;
    detail += " (new address " + request.peer + ")";
  }
  registry_.record(RegistrationEvent{r->last_update, RegistrationEventKind::Updated, r->endpoint, r->id,
                                     code::Changed, detail, r->generation, request.peer});
  spdlog::debug("Update {} ({})", r->endpoint, detail);
  return Reply::with(code::Changed);
}

Reply RegistrationInterface::do_deregister(const coap::IncomingRequest& request, const std::string& id) {
  Registration* r = registry_.find_by_id(id);
  if (!r) return reject(request, RegistrationEventKind::Deregistered, code::NotFound, {}, "no registration /rd/" + id);
  RegistrationEvent event{Clock::now(), RegistrationEventKind::Deregistered, r->endpoint, r->id, code::Deleted, {},
                          r->generation, request.peer};
  spdlog::info("De-register {}", r->endpoint);
  registry_.remove(id);
  registry_.record(std::move(event));
  return Reply::with(code::Deleted);
}

}  // namespace fc::server
