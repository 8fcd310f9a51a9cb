#include "refclient/client/connectivity_object.h"

namespace fc::refclient {

namespace {
enum Resource : std::uint16_t {
  NetworkBearer = 0,
  AvailableNetworkBearer = 1,
  RadioSignalStrength = 2,
  LinkQuality = 3,
  IpAddresses = 4,
};
}  // namespace

ConnectivityObject::ConnectivityObject(ConnectivityInfo info) : info_(std::move(info)) {
  if (info_.available_bearers.empty()) info_.available_bearers.push_back(info_.network_bearer);
}

std::vector<ResourceDef> ConnectivityObject::resources() const {
  auto readable = [](std::uint16_t id, bool multiple) {
    ResourceDef d{};
    d.id = id;
    d.readable = true;
    d.multiple = multiple;
    return d;
  };
  return {readable(NetworkBearer, false), readable(AvailableNetworkBearer, true), readable(RadioSignalStrength, false),
          readable(LinkQuality, false), readable(IpAddresses, true)};
}

std::optional<lwm2m::Records> ConnectivityObject::read(std::uint16_t instance, std::uint16_t resource) const {
  const lwm2m::Path at{id(), instance, resource};
  auto many = [&at](const auto& values) {
    lwm2m::Records records;
    std::uint16_t index = 0;
    for (const auto& value : values) records.push_back({at.child(index++), lwm2m::Value(value)});
    return records;
  };
  switch (resource) {
    case NetworkBearer: return lwm2m::Records{{at, lwm2m::Value(info_.network_bearer)}};
    case AvailableNetworkBearer: return many(info_.available_bearers);
    case RadioSignalStrength: return lwm2m::Records{{at, lwm2m::Value(info_.radio_signal_strength)}};
    case LinkQuality: return lwm2m::Records{{at, lwm2m::Value(info_.link_quality)}};
    case IpAddresses: return many(info_.ip_addresses);
    default: return std::nullopt;
  }
}

}  // namespace fc::refclient
