// The Device object /3/0: identity, the running firmware version and Reboot.
#pragma once

#include <functional>
#include <string>

#include "refclient/client/object_model.h"

namespace fc::refclient {

struct DeviceInfo {
  std::string manufacturer = "fotacheck";
  std::string model = "refclient";
  std::string serial = "FC-0001";
  std::string supported_binding = "U";
};

class DeviceObject : public LwM2MObject {
 public:
  // `firmware_version` reads /3/0/3 live; `reboot` is asked for after Execute /3/0/4 is answered.
  DeviceObject(DeviceInfo info, std::function<std::string()> firmware_version, std::function<void()> reboot);

  std::uint16_t id() const override { return 3; }
  std::vector<ResourceDef> resources() const override;
  std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const override;
  CoapAnswer execute(std::uint16_t instance, std::uint16_t resource, const std::string& arguments) override;

 private:
  DeviceInfo info_;
  std::function<std::string()> firmware_version_;
  std::function<void()> reboot_;
};

}  // namespace fc::refclient
