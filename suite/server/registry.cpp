#include "suite/server/registry.h"

#include <coap3/coap.h>

#include <algorithm>

namespace fc::server {

std::string to_string(RegistrationEventKind kind) {
  switch (kind) {
    case RegistrationEventKind::Registered: return "Register";
    case RegistrationEventKind::Updated: return "Update";
    case RegistrationEventKind::Deregistered: return "De-register";
    case RegistrationEventKind::Expired: return "Expired";
    case RegistrationEventKind::Rejected: return "Rejected";
  }
  return "?";
}

Registry::~Registry() {
  for (auto& r : registrations_)
    if (r.session) coap_session_release(r.session);
}

const Registration& Registry::add(Registration r) {
  if (auto* old = find_by_endpoint(r.endpoint)) remove(old->id);
  r.id = std::to_string(next_id_++);
  r.generation = ++generations_[r.endpoint];
  if (r.session) coap_session_reference(r.session);
  registrations_.push_back(std::move(r));
  return registrations_.back();
}

Registration* Registry::find_by_id(const std::string& id) {
  auto it = std::find_if(registrations_.begin(), registrations_.end(), [&](auto& r) { return r.id == id; });
  return it == registrations_.end() ? nullptr : &*it;
}

Registration* Registry::find_by_endpoint(const std::string& endpoint) {
  auto it = std::find_if(registrations_.begin(), registrations_.end(), [&](auto& r) { return r.endpoint == endpoint; });
  return it == registrations_.end() ? nullptr : &*it;
}

const Registration* Registry::find_by_endpoint(const std::string& endpoint) const {
  return const_cast<Registry*>(this)->find_by_endpoint(endpoint);
}

bool Registry::remove(const std::string& id) {
  auto it = std::find_if(registrations_.begin(), registrations_.end(), [&](auto& r) { return r.id == id; });
  if (it == registrations_.end()) return false;
  if (it->session) coap_session_release(it->session);
  registrations_.erase(it);
  return true;
}

void Registry::expire(Clock::time_point now) {
  std::vector<std::string> gone;
  for (const auto& r : registrations_)
    if (r.expires_at() <= now) gone.push_back(r.id);
  for (const auto& id : gone) {
    auto* r = find_by_id(id);
    record(RegistrationEvent{now, RegistrationEventKind::Expired, r->endpoint, id, {},
                             "lifetime " + std::to_string(r->lifetime) + " s passed without an Update",
                             r->generation, r->peer});
    remove(id);
  }
}

void Registry::record(RegistrationEvent event) { events_.push_back(std::move(event)); }

std::vector<const Registration*> Registry::all() const {
  std::vector<const Registration*> out;
  for (const auto& r : registrations_) out.push_back(&r);
  return out;
}

unsigned Registry::generation_of(const std::string& endpoint) const {
  auto it = generations_.find(endpoint);
  return it == generations_.end() ? 0 : it->second;
}

}  // namespace fc::server
