// Presents the Firmware Update object (/5, refclient/firmware/) to the request router: the
// resource table of the configured object version, and the calls passed through unchanged.
#pragma once

#include <memory>

#include "refclient/client/object_model.h"
#include "refclient/firmware/firmware_update_object.h"

namespace fc::refclient {

class FirmwareObjectAdapter : public LwM2MObject {
 public:
  // Throws what FirmwareUpdateObject throws (an unusable state directory).
  FirmwareObjectAdapter(FirmwareOptions options, RestartRequest restart);

  std::uint16_t id() const override { return 5; }
  std::optional<std::string> version() const override;
  std::vector<ResourceDef> resources() const override;
  std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const override;
  CoapAnswer write(std::uint16_t instance, std::uint16_t resource, const lwm2m::Value& value) override;
  CoapAnswer execute(std::uint16_t instance, std::uint16_t resource, const std::string& arguments) override;
  CoapAnswer write_block(std::uint16_t instance, std::uint16_t resource, std::uint64_t offset, ByteView data,
                         bool more, std::optional<std::uint64_t> total_size, int szx) override;

  FirmwareUpdateObject& firmware() { return *firmware_; }
  const FirmwareUpdateObject& firmware() const { return *firmware_; }

 private:
  std::string object_version_;
  std::unique_ptr<FirmwareUpdateObject> firmware_;
};

}  // namespace fc::refclient
