// Who is registered with the reference server, and every registration event with its time.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/code.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/link_format.h"

struct coap_session_t;

namespace fc::server {

struct Registration {
  std::string id;               // the location is /rd/<id>
  std::string endpoint;
  std::uint32_t lifetime = 86400;
  std::string lwm2m_version;
  std::string binding = "U";
  bool queue_mode = false;
  std::optional<std::string> sms;
  lwm2m::RegisteredObjects objects;
  Clock::time_point registered_at;
  Clock::time_point last_update;
  coap_session_t* session = nullptr;  // referenced while registered
  std::string peer;
  // Counts Registers of this endpoint: a new one voids every observation (TS Core §6.2.1).
  unsigned generation = 0;

  // Queue mode: the end of the window after the last Register or Update.
  Clock::time_point reachable_until;

  Clock::time_point expires_at() const { return last_update + std::chrono::seconds(lifetime); }
  // Requests may go to it now: not in queue mode, or inside its window.
  bool reachable(Clock::time_point now) const { return !queue_mode || now < reachable_until; }
  std::string location() const { return "/rd/" + id; }
};

enum class RegistrationEventKind { Registered, Updated, Deregistered, Expired, Rejected };
std::string to_string(RegistrationEventKind kind);

struct RegistrationEvent {
  Clock::time_point time;
  RegistrationEventKind kind = RegistrationEventKind::Registered;
  std::string endpoint;  // may be empty for a rejected Register without ep
  std::string id;
  coap::Code answered;   // what the server answered (none for Expired)
  std::string detail;    // parameters, object list, or why it was rejected
  unsigned generation = 0;
  std::string peer;
};

class Registry {
 public:
  Registry() = default;
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Adds or replaces the registration of `r.endpoint` (a new Register from a known endpoint
  // replaces the old one); returns the stored registration with its new id and generation.
  const Registration& add(Registration r);
  Registration* find_by_id(const std::string& id);
  Registration* find_by_endpoint(const std::string& endpoint);
  const Registration* find_by_endpoint(const std::string& endpoint) const;
  // Removes and releases the session. Returns false when unknown.
  bool remove(const std::string& id);
  // Drops registrations whose lifetime passed; records Expired events.
  void expire(Clock::time_point now);

  void record(RegistrationEvent event);
  const std::vector<RegistrationEvent>& events() const { return events_; }
  std::vector<const Registration*> all() const;
  unsigned generation_of(const std::string& endpoint) const;

 private:
  std::list<Registration> registrations_;  // stable addresses for callers holding pointers
  std::vector<RegistrationEvent> events_;
  unsigned next_id_ = 1;
  std::map<std::string, unsigned> generations_;
};

}  // namespace fc::server
