// The Connectivity Monitoring object /4/0 with values set on the command line, so a server's
// push/pull policy can be exercised against bearer, signal strength and link quality.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "refclient/client/object_model.h"

namespace fc::refclient {

struct ConnectivityInfo {
  std::int64_t network_bearer = 41;  // Ethernet
  std::vector<std::int64_t> available_bearers;  // empty: just network_bearer
  std::int64_t radio_signal_strength = -70;  // dBm
  std::int64_t link_quality = 0;
  std::vector<std::string> ip_addresses{"127.0.0.1"};
};

class ConnectivityObject : public LwM2MObject {
 public:
  explicit ConnectivityObject(ConnectivityInfo info);

  std::uint16_t id() const override { return 4; }
  std::vector<ResourceDef> resources() const override;
  std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const override;

 private:
  ConnectivityInfo info_;
};

}  // namespace fc::refclient
