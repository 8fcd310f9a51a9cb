#include "refclient/client/firmware_object_adapter.h"

#include "refclient/firmware/variants.h"

namespace fc::refclient {

namespace {

constexpr std::uint16_t kPackage = 0;

// Object 5 resources in every version (shared/docs/lwm2m-fota-reference.md §1); which exist in
// the configured version is the firmware object's call (is_defined).
struct Operations {
  std::uint16_t id;
  bool readable, writable, executable, multiple;
};
constexpr Operations kResources[] = {
    {0, false, true, false, false},  {1, true, true, false, false},   {2, false, false, true, false},
    {3, true, false, false, false},  {5, true, false, false, false},  {6, true, false, false, false},
    {7, true, false, false, false},  {8, true, false, false, true},   {9, true, false, false, false},
    {10, false, false, true, false}, {11, true, true, false, false},  {12, true, false, false, false},
    {13, true, true, false, false},  {14, true, true, false, false},
};

}  // namespace

FirmwareObjectAdapter::FirmwareObjectAdapter(FirmwareOptions options, RestartRequest restart)
    : object_version_(options.object_version) {
  firmware_ = std::make_unique<FirmwareUpdateObject>(
      std::move(options), [this](std::uint16_t resource) { changed(0, resource); }, std::move(restart));
}

std::optional<std::string> FirmwareObjectAdapter::version() const {
  // no-object-version: the version is left to the enabler's default (reference §0).
  if (object_version_ == "1.0" || firmware_->variant(variant::kNoObjectVersion)) return std::nullopt;
  return object_version_;
}

std::vector<ResourceDef> FirmwareObjectAdapter::resources() const {
  std::vector<ResourceDef> defs;
  for (const auto& ops : kResources) {
    if (!firmware_->is_defined(ops.id)) continue;
    ResourceDef def{};
    def.id = ops.id;
    def.readable = ops.readable;
    def.writable = ops.writable;
    def.executable = ops.executable;
    def.multiple = ops.multiple;
    def.opaque = ops.id == kPackage;
    def.streamed = ops.id == kPackage;
    defs.push_back(def);
  }
  return defs;
}

std::optional<lwm2m::Records> FirmwareObjectAdapter::read(std::uint16_t, std::uint16_t resource) const {
  return firmware_->read(resource);
}

CoapAnswer FirmwareObjectAdapter::write(std::uint16_t, std::uint16_t resource, const lwm2m::Value& value) {
  return firmware_->write(resource, value);
}

CoapAnswer FirmwareObjectAdapter::execute(std::uint16_t, std::uint16_t resource, const std::string& arguments) {
  return firmware_->execute(resource, arguments);
}

CoapAnswer FirmwareObjectAdapter::write_block(std::uint16_t, std::uint16_t resource, std::uint64_t offset,
                                              ByteView data, bool more, std::optional<std::uint64_t> total_size,
                                              int szx) {
  if (resource != kPackage) return CoapAnswer::error(4, 5, "not writable block-wise");
  return firmware_->write_package_block(offset, data, more, total_size, szx);
}

}  // namespace fc::refclient
