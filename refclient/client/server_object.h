// The Server object /1/0 (or /1/1 under --variant server-instance-1): short server ID, lifetime (a Write sends an Update with the new lt),
// notification storing, binding, and the Registration Update Trigger.
#pragma once

#include <cstdint>
#include <functional>

#include "refclient/client/object_model.h"

namespace fc::refclient {

class ServerObject : public LwM2MObject {
 public:
  // `lifetime_changed` runs after a successful Write of /1/0/1; `update_trigger` after Execute /1/0/8.
  // `instance`: the instance ID of the one server account (0; Anjay uses 1).
  ServerObject(std::uint32_t lifetime, std::function<void(std::uint32_t)> lifetime_changed,
               std::function<void()> update_trigger, std::uint16_t instance = 0);

  std::uint16_t id() const override { return 1; }
  std::vector<std::uint16_t> instances() const override { return {instance_}; }
  std::vector<ResourceDef> resources() const override;
  std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const override;
  CoapAnswer write(std::uint16_t instance, std::uint16_t resource, const lwm2m::Value& value) override;
  CoapAnswer execute(std::uint16_t instance, std::uint16_t resource, const std::string& arguments) override;

  std::uint32_t lifetime() const { return lifetime_; }

 private:
  std::uint16_t instance_;
  std::uint16_t short_server_id_ = 1;
  std::uint32_t lifetime_;
  bool notification_storing_ = true;
  std::string binding_ = "U";
  std::function<void(std::uint32_t)> lifetime_changed_;
  std::function<void()> update_trigger_;
};

}  // namespace fc::refclient
