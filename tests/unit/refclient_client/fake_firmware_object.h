// A stand-in for /5 in router tests: a streamed Package, a URI, Update and State.
#pragma once

#include <vector>

#include "refclient/client/object_model.h"

namespace fc::refclient::testing {

class FakeFirmwareObject : public LwM2MObject {
 public:
  struct Block {
    std::uint64_t offset;
    std::size_t size;
    bool more;
  };

  std::uint16_t id() const override { return 5; }
  std::optional<std::string> version() const override { return "1.1"; }
  std::vector<ResourceDef> resources() const override {
    ResourceDef package{};
    package.id = 0;
    package.writable = true;
    package.opaque = true;
    package.streamed = true;
    ResourceDef package_uri{};
    package_uri.id = 1;
    package_uri.readable = true;
    package_uri.writable = true;
    ResourceDef update{};
    update.id = 2;
    update.executable = true;
    ResourceDef state_def{};
    state_def.id = 3;
    state_def.readable = true;
    return {package, package_uri, update, state_def};
  }
  std::optional<lwm2m::Records> read(std::uint16_t instance, std::uint16_t resource) const override {
    const lwm2m::Path at{5, instance, resource};
    if (resource == 1) return lwm2m::Records{{at, lwm2m::Value(uri)}};
    if (resource == 3) return lwm2m::Records{{at, lwm2m::Value(state)}};
    return std::nullopt;
  }
  CoapAnswer write(std::uint16_t instance, std::uint16_t resource, const lwm2m::Value& value) override {
    if (resource != 1) return CoapAnswer::error(4, 5, "no");
    uri = value.as_string();
    state = 1;
    changed(instance, 1);
    changed(instance, 3);
    return CoapAnswer::changed();
  }
  CoapAnswer execute(std::uint16_t, std::uint16_t resource, const std::string& arguments) override {
    if (resource != 2) return CoapAnswer::error(4, 5, "no");
    executed_with.push_back(arguments);
    return CoapAnswer::changed();
  }
  CoapAnswer write_block(std::uint16_t, std::uint16_t, std::uint64_t offset, ByteView data, bool more,
                         std::optional<std::uint64_t>, int) override {
    blocks.push_back({offset, data.size(), more});
    return CoapAnswer::changed();
  }

  std::string uri;
  int state = 0;
  std::vector<std::string> executed_with;
  std::vector<Block> blocks;
};

}  // namespace fc::refclient::testing
