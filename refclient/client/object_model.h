// What the request router needs from one LwM2M object: its resource table, reads, writes,
// executes, and a way to report that a resource changed so observers can be notified.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "refclient/firmware/firmware_update_object.h"
#include "suite/common/bytes.h"
#include "suite/lwm2m/path.h"
#include "suite/lwm2m/value.h"

namespace fc::refclient {

struct ResourceDef {
  std::uint16_t id = 0;
  bool readable = false;
  bool writable = false;
  bool executable = false;
  bool multiple = false;
  bool opaque = false;    // Opaque type: readable as application/octet-stream
  bool streamed = false;  // written block by block (the /5/0/0 Package), never held whole
};

class LwM2MObject {
 public:
  using ChangeListener = std::function<void(const lwm2m::Path& resource)>;

  virtual ~LwM2MObject() = default;
  virtual std::uint16_t id() const = 0;
  // Object version for `ver=` at registration and in Discover; nullopt means the core default.
  virtual std::optional<std::string> version() const { return std::nullopt; }
  virtual std::vector<std::uint16_t> instances() const { return {0}; }
  // The resources every instance supports, in ID order.
  virtual std::vector<ResourceDef> resources() const = 0;

  // Records of /id/instance/resource (one per resource instance for multiple resources);
  // nullopt when the resource cannot be read right now (the router answers 4.05).
  virtual std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const = 0;
  virtual CoapAnswer write(std::uint16_t, std::uint16_t, const lwm2m::Value&) {
    return CoapAnswer::error(4, 5, "not writable");
  }
  virtual CoapAnswer execute(std::uint16_t, std::uint16_t, const std::string&) {
    return CoapAnswer::error(4, 5, "not executable");
  }
  // One block of a streamed resource (offset 0 and more=false for a whole single message).
  virtual CoapAnswer write_block(std::uint16_t, std::uint16_t, std::uint64_t, ByteView, bool,
                                 std::optional<std::uint64_t>, int) {
    return CoapAnswer::error(4, 5, "not writable");
  }

  std::optional<ResourceDef> find_resource(std::uint16_t resource) const {
    for (const auto& def : resources()) {
      if (def.id == resource) return def;
    }
    return std::nullopt;
  }
  bool has_instance(std::uint16_t instance) const {
    for (auto i : instances()) {
      if (i == instance) return true;
    }
    return false;
  }

  void set_change_listener(ChangeListener listener) { listener_ = std::move(listener); }

 protected:
  void changed(std::uint16_t instance, std::uint16_t resource) const {
    if (listener_) listener_(lwm2m::Path{id(), instance, resource});
  }

 private:
  ChangeListener listener_;
};

// The objects a client serves, in registration order.
class ObjectRegistry {
 public:
  void add(LwM2MObject& object) { objects_.push_back(&object); }
  LwM2MObject* find(std::uint16_t id) const {
    for (auto* object : objects_) {
      if (object->id() == id) return object;
    }
    return nullptr;
  }
  const std::vector<LwM2MObject*>& all() const { return objects_; }

 private:
  std::vector<LwM2MObject*> objects_;
};

}  // namespace fc::refclient
