// One Observe relationship (RFC 7641) the server holds on a device path, and what it received.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/path.h"
#include "suite/server/dm_response.h"

namespace fc::server {

struct Notification {
  Clock::time_point time;
  std::optional<std::uint32_t> sequence;  // the Observe option value
  DmResponse content;                     // decoded like a Read response
};

class Observation {
 public:
  Observation(lwm2m::Path path, unsigned generation) : path_(std::move(path)), generation_(generation) {}

  const lwm2m::Path& path() const { return path_; }
  // The registration generation it was made in: a new Register voids it.
  unsigned generation() const { return generation_; }
  const Bytes& token() const { return token_; }
  bool active() const { return active_; }
  // The first response (2.05 with Observe, or a refusal).
  const DmResponse& initial() const { return initial_; }
  // Every notification after the first response, in arrival order.
  const std::vector<Notification>& notifications() const { return notifications_; }

 private:
  friend class DeviceClient;
  friend class ReferenceServer;
  lwm2m::Path path_;
  unsigned generation_;
  Bytes token_;
  bool active_ = false;
  bool answered_ = false;
  DmResponse initial_;
  std::vector<Notification> notifications_;
};

}  // namespace fc::server
