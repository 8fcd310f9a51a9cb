#include "refclient/client/registration.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace fc::refclient {

std::vector<std::string> register_queries(const RegistrationSettings& settings) {
  const bool v10 = settings.lwm2m_version == "1.0";
  std::vector<std::string> queries{"ep=" + settings.endpoint, fmt::format("lt={}", settings.lifetime),
                                   "lwm2m=" + settings.lwm2m_version,
                                   "b=" + settings.binding + (settings.queue_mode && v10 ? "Q" : "")};
  if (settings.queue_mode && !v10) queries.emplace_back("Q");
  return queries;
}

std::string registration_payload(const std::string& lwm2m_version, const ObjectRegistry& objects) {
  return registration_payload(lwm2m_version, objects, default_formats(lwm2m_version));
}

std::string registration_payload(const std::string& lwm2m_version, const ObjectRegistry& objects,
                                 const FormatList& formats) {
  std::string payload = "</>;rt=\"oma.lwm2m\"";
  if (lwm2m_version != "1.0" && !formats.empty()) payload += ";ct=" + advertised_formats(formats);
  for (const auto* object : objects.all()) {
    if (object->id() == 0) continue;  // the Security object is never announced
    if (const auto version = object->version()) payload += fmt::format(",</{}>;ver={}", object->id(), *version);
    for (auto instance : object->instances()) payload += fmt::format(",</{}/{}>", object->id(), instance);
  }
  return payload;
}

const char* to_string(RegistrationState state) {
  switch (state) {
    case RegistrationState::Unregistered: return "unregistered";
    case RegistrationState::Registering: return "registering";
    case RegistrationState::Registered: return "registered";
    case RegistrationState::Updating: return "updating";
    case RegistrationState::Deregistering: return "deregistering";
    case RegistrationState::Deregistered: return "deregistered";
  }
  return "?";
}

RegistrationMachine::RegistrationMachine(std::uint32_t lifetime_s) : lifetime_(std::max<std::uint32_t>(lifetime_s, 1)) {}

Clock::duration RegistrationMachine::backoff(unsigned failures) {
  // 1 s, 2 s, 4 s, 8 s, then every 10 s: quick enough for a server that restarts, gentle on one that is gone.
  if (failures == 0) return Clock::duration::zero();
  const unsigned shift = std::min(failures - 1, 4u);
  return std::min<Clock::duration>(std::chrono::seconds(1u << shift), std::chrono::seconds(10));
}

Clock::duration RegistrationMachine::update_delay(std::uint32_t lifetime_s) {
  // Half the lifetime, and never later than 1 s before it runs out.
  const auto half = std::chrono::milliseconds(std::uint64_t{lifetime_s} * 500);
  const auto latest = std::chrono::milliseconds(std::uint64_t{lifetime_s} * 1000) - std::chrono::seconds(1);
  return std::max<Clock::duration>(std::min<Clock::duration>(half, std::max<Clock::duration>(latest, half / 2)),
                                   std::chrono::milliseconds(100));
}

std::optional<RegistrationRequest> RegistrationMachine::next_request(Clock::time_point now) {
  switch (state_) {
    case RegistrationState::Unregistered:
      if (deregister_wanted_) {
        state_ = RegistrationState::Deregistered;
        return std::nullopt;
      }
      if (now < due_) return std::nullopt;
      state_ = RegistrationState::Registering;
      update_wanted_ = false;
      pending_lifetime_.reset();
      return RegistrationRequest{RegistrationRequest::Kind::Register, std::nullopt};
    case RegistrationState::Registered: {
      if (deregister_wanted_) {
        state_ = RegistrationState::Deregistering;
        return RegistrationRequest{RegistrationRequest::Kind::Deregister, std::nullopt};
      }
      if (!update_wanted_ && now < due_) return std::nullopt;
      state_ = RegistrationState::Updating;
      update_wanted_ = false;
      auto lifetime = pending_lifetime_;
      pending_lifetime_.reset();
      return RegistrationRequest{RegistrationRequest::Kind::Update, lifetime};
    }
    default:
      return std::nullopt;
  }
}

Clock::time_point RegistrationMachine::next_wakeup() const {
  switch (state_) {
    case RegistrationState::Unregistered:
      return deregister_wanted_ ? Clock::time_point::min() : due_;
    case RegistrationState::Registered:
      return (update_wanted_ || deregister_wanted_) ? Clock::time_point::min() : due_;
    default:
      return Clock::time_point::max();
  }
}

Clock::duration RegistrationMachine::time_until_wakeup(Clock::time_point now) const {
  const auto wakeup = next_wakeup();
  return wakeup <= now ? Clock::duration::zero() : wakeup - now;
}

void RegistrationMachine::registered(const std::string& location, Clock::time_point now) {
  location_ = location;
  failures_ = 0;
  state_ = RegistrationState::Registered;
  due_ = now + update_delay(lifetime_);
}

void RegistrationMachine::register_failed(Clock::time_point now) {
  ++failures_;
  state_ = RegistrationState::Unregistered;
  due_ = now + backoff(failures_);
}

void RegistrationMachine::updated(Clock::time_point now) {
  state_ = RegistrationState::Registered;
  due_ = now + update_delay(lifetime_);
}

void RegistrationMachine::update_failed(Clock::time_point now) {
  // The server forgot us (restart, expiry) or cannot be reached: start over with a Register.
  location_.clear();
  state_ = RegistrationState::Unregistered;
  due_ = now;
}

void RegistrationMachine::deregistered() {
  location_.clear();
  state_ = RegistrationState::Deregistered;
}

void RegistrationMachine::request_update(std::optional<std::uint32_t> new_lifetime) {
  if (new_lifetime) {
    lifetime_ = std::max<std::uint32_t>(*new_lifetime, 1);
    pending_lifetime_ = lifetime_;
  }
  // Before registration completes, the coming Register carries the new lifetime anyway.
  if (state_ == RegistrationState::Registered || state_ == RegistrationState::Updating) update_wanted_ = true;
}

void RegistrationMachine::request_deregister() { deregister_wanted_ = true; }

}  // namespace fc::refclient
