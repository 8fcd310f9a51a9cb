#include "refclient/client/device_object.h"

#include <chrono>

namespace fc::refclient {

namespace {
enum Resource : std::uint16_t {
  Manufacturer = 0,
  ModelNumber = 1,
  SerialNumber = 2,
  FirmwareVersion = 3,
  Reboot = 4,
  ErrorCode = 11,
  CurrentTime = 13,
  SupportedBinding = 16,
};
}  // namespace

DeviceObject::DeviceObject(DeviceInfo info, std::function<std::string()> firmware_version, std::function<void()> reboot)
    : info_(std::move(info)), firmware_version_(std::move(firmware_version)), reboot_(std::move(reboot)) {}

std::vector<ResourceDef> DeviceObject::resources() const {
  ResourceDef r{};
  r.readable = true;
  ResourceDef e{};
  e.executable = true;
  auto with = [](ResourceDef def, std::uint16_t id, bool multiple = false) {
    def.id = id;
    def.multiple = multiple;
    return def;
  };
  return {with(r, Manufacturer), with(r, ModelNumber), with(r, SerialNumber), with(r, FirmwareVersion),
          with(e, Reboot),       with(r, ErrorCode, true), with(r, CurrentTime), with(r, SupportedBinding)};
}

std::optional<lwm2m::Records> DeviceObject::read(std::uint16_t instance, std::uint16_t resource) const {
  const lwm2m::Path at{id(), instance, resource};
  auto one = [&](lwm2m::Value value) { return lwm2m::Records{{at, std::move(value)}}; };
  switch (resource) {
    case Manufacturer: return one(info_.manufacturer);
    case ModelNumber: return one(info_.model);
    case SerialNumber: return one(info_.serial);
    case FirmwareVersion: return one(firmware_version_());
    case ErrorCode: return lwm2m::Records{{at.child(0), lwm2m::Value(0)}};
    case CurrentTime: {
      const auto now = std::chrono::system_clock::now().time_since_epoch();
      return one(std::int64_t{std::chrono::duration_cast<std::chrono::seconds>(now).count()});
    }
    case SupportedBinding: return one(info_.supported_binding);
    default: return std::nullopt;
  }
}

CoapAnswer DeviceObject::execute(std::uint16_t, std::uint16_t resource, const std::string&) {
  if (resource != Reboot) return CoapAnswer::error(4, 5, "not executable");
  if (reboot_) reboot_();
  return CoapAnswer::changed();
}

}  // namespace fc::refclient
