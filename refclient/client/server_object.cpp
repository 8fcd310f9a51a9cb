#include "refclient/client/server_object.h"

#include <limits>

#include <fmt/format.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::refclient {

namespace {
enum Resource : std::uint16_t {
  ShortServerId = 0,
  Lifetime = 1,
  NotificationStoring = 6,
  Binding = 7,
  RegistrationUpdateTrigger = 8,
};
}  // namespace

ServerObject::ServerObject(std::uint32_t lifetime, std::function<void(std::uint32_t)> lifetime_changed,
                           std::function<void()> update_trigger, std::uint16_t instance)
    : instance_(instance),
      lifetime_(lifetime), lifetime_changed_(std::move(lifetime_changed)), update_trigger_(std::move(update_trigger)) {}

std::vector<ResourceDef> ServerObject::resources() const {
  auto def = [](std::uint16_t id, bool readable, bool writable, bool executable) {
    ResourceDef d{};
    d.id = id;
    d.readable = readable;
    d.writable = writable;
    d.executable = executable;
    return d;
  };
  return {def(ShortServerId, true, false, false), def(Lifetime, true, true, false),
          def(NotificationStoring, true, true, false), def(Binding, true, true, false),
          def(RegistrationUpdateTrigger, false, false, true)};
}

std::optional<lwm2m::Records> ServerObject::read(std::uint16_t instance, std::uint16_t resource) const {
  const lwm2m::Path at{id(), instance, resource};
  switch (resource) {
    case ShortServerId: return lwm2m::Records{{at, lwm2m::Value(int{short_server_id_})}};
    case Lifetime: return lwm2m::Records{{at, lwm2m::Value(std::int64_t{lifetime_})}};
    case NotificationStoring: return lwm2m::Records{{at, lwm2m::Value(notification_storing_)}};
    case Binding: return lwm2m::Records{{at, lwm2m::Value(binding_)}};
    default: return std::nullopt;
  }
}

CoapAnswer ServerObject::write(std::uint16_t instance, std::uint16_t resource, const lwm2m::Value& value) {
  try {
    switch (resource) {
      case Lifetime: {
        const auto seconds = value.as_int();
        if (seconds <= 0 || seconds > std::numeric_limits<std::uint32_t>::max()) {
          return CoapAnswer::error(4, 0, fmt::format("lifetime {} is not a positive 32-bit number of seconds", seconds));
        }
        lifetime_ = static_cast<std::uint32_t>(seconds);
        changed(instance, resource);
        if (lifetime_changed_) lifetime_changed_(lifetime_);
        return CoapAnswer::changed();
      }
      case NotificationStoring:
        notification_storing_ = value.as_bool();
        changed(instance, resource);
        return CoapAnswer::changed();
      case Binding: {
        const auto binding = value.as_string();
        if (binding != "U") return CoapAnswer::error(4, 0, fmt::format("binding '{}' is not supported, only U", binding));
        return CoapAnswer::changed();
      }
      default:
        return CoapAnswer::error(4, 5, "not writable");
    }
  } catch (const lwm2m::CodecError& error) {
    return CoapAnswer::error(4, 0, error.what());
  }
}

CoapAnswer ServerObject::execute(std::uint16_t, std::uint16_t resource, const std::string&) {
  if (resource != RegistrationUpdateTrigger) return CoapAnswer::error(4, 5, "not executable");
  if (update_trigger_) update_trigger_();
  return CoapAnswer::changed();
}

}  // namespace fc::refclient
