// The client side of the Registration interface (TS Core §6.2): what a Register says, and when
// to Register, Update and De-register, as a state machine free of sockets and clocks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "refclient/client/content_negotiation.h"
#include "refclient/client/object_model.h"
#include "suite/common/clock.h"

namespace fc::refclient {

struct RegistrationSettings {
  std::string endpoint;
  std::uint32_t lifetime = 86400;  // seconds
  std::string lwm2m_version = "1.1";
  std::string binding = "U";
  // Queue mode (TS Core 6.2.1.1): `Q` as a parameter from LwM2M 1.1 on, the binding UQ in 1.0.
  bool queue_mode = false;
};

// Uri-Query options of the Register: ep, lt, lwm2m, b (and Q in queue mode).
std::vector<std::string> register_queries(const RegistrationSettings& settings);
// The link-format object list: `</>;rt="oma.lwm2m";ct="110 112 11542 11543",</1/0>,...`, with
// `ver=` on objects above their default version. `ct` lists `formats` (default: all the version
// has); 1.0 clients leave it out (TLV is mandatory there, and 1.0 defines no `ct`).
std::string registration_payload(const std::string& lwm2m_version, const ObjectRegistry& objects);
std::string registration_payload(const std::string& lwm2m_version, const ObjectRegistry& objects,
                                 const FormatList& formats);

enum class RegistrationState { Unregistered, Registering, Registered, Updating, Deregistering, Deregistered };
const char* to_string(RegistrationState state);

struct RegistrationRequest {
  enum class Kind { Register, Update, Deregister } kind = Kind::Register;
  std::optional<std::uint32_t> lifetime;  // Update only: a changed lifetime to send as lt
};

class RegistrationMachine {
 public:
  explicit RegistrationMachine(std::uint32_t lifetime_s);

  // The request to send now, if one is due; the machine then waits for its outcome.
  std::optional<RegistrationRequest> next_request(Clock::time_point now);
  // When next_request() may next have something (Clock::time_point::max() when waiting).
  Clock::time_point next_wakeup() const;
  // How long from `now` until next_wakeup(): zero when that is now or past, including the
  // time_point::min() of a wanted De-register (from which subtracting `now` would overflow).
  Clock::duration time_until_wakeup(Clock::time_point now) const;

  // Outcomes of the request last handed out.
  void registered(const std::string& location, Clock::time_point now);  // 2.01 with Location-Path
  void register_failed(Clock::time_point now);                          // error code or no answer
  void updated(Clock::time_point now);                                  // 2.04
  void update_failed(Clock::time_point now);                            // 4.04, other errors, no answer
  void deregistered();                                                  // 2.02, an error, or no answer

  // A Registration Update Trigger, or a new lifetime written to /1/0/1.
  void request_update(std::optional<std::uint32_t> new_lifetime = std::nullopt);
  void request_deregister();

  RegistrationState state() const { return state_; }
  const std::string& location() const { return location_; }  // "rd/1"
  std::uint32_t lifetime() const { return lifetime_; }
  // The delay before the next Register attempt after `failures` failures in a row.
  static Clock::duration backoff(unsigned failures);
  // When the Update for a registration made (or refreshed) at `at` is due.
  static Clock::duration update_delay(std::uint32_t lifetime_s);

 private:
  RegistrationState state_ = RegistrationState::Unregistered;
  std::uint32_t lifetime_;
  std::string location_;
  Clock::time_point due_{};  // next Register (Unregistered) or Update (Registered)
  unsigned failures_ = 0;
  bool update_wanted_ = false;
  std::optional<std::uint32_t> pending_lifetime_;
  bool deregister_wanted_ = false;
};

}  // namespace fc::refclient
