// Turns one Device Management request (Read, Discover, Write, Write-Attributes, Execute, Delete)
// into calls on the client's objects and into the CoAP answer LwM2M prescribes.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "refclient/client/attributes.h"
#include "refclient/client/block1_receiver.h"
#include "refclient/client/content_negotiation.h"
#include "refclient/client/dm_message.h"
#include "refclient/client/object_model.h"

namespace fc::refclient {

class RequestRouter {
 public:
  // `formats`: the formats for several values it answers and accepts (content_negotiation.h).
  // `mutants`: the --mutant names; the router implements those about Content-Format and
  // methods (accept-ignored, post-push-refused) and ignores the rest.
  RequestRouter(const ObjectRegistry& objects, AttributeStore& attributes,
                FormatList formats = default_formats("1.1"), std::set<std::string> mutants = {});

  // Any request the server sends on the client's session. Never throws.
  DmResponse handle(const DmRequest& request);

  // What a Read of `path` returns right now; nullopt when it cannot be read (unknown path,
  // write-only or executable resource). Used to snapshot values for notifications.
  std::optional<lwm2m::Records> snapshot(const lwm2m::Path& path) const;
  // A Read answer for `path` in the format `accept` asks for, from `records` when given
  // (a snapshot taken when the value changed), else from the live values. Never throws.
  DmResponse render(const lwm2m::Path& path, std::optional<std::uint16_t> accept,
                    const lwm2m::Records* records = nullptr) const;

 private:
  struct Target {
    LwM2MObject* object = nullptr;
    std::optional<ResourceDef> resource;
  };
  // The object and resource `path` names, or 4.04.
  std::optional<Target> resolve(const lwm2m::Path& path) const;
  std::optional<lwm2m::Records> read_records(const lwm2m::Path& path, const Target& target) const;

  DmResponse dispatch(const DmRequest& request);
  DmResponse discover(const lwm2m::Path& path, const Target& target) const;
  DmResponse write_attributes(const DmRequest& request);
  DmResponse write(const DmRequest& request, const Target& target);
  DmResponse write_streamed(const DmRequest& request, const Target& target);
  DmResponse write_instance(const DmRequest& request, const Target& target, const lwm2m::Records& records);
  DmResponse execute(const DmRequest& request, const Target& target);

  const ObjectRegistry& objects_;
  AttributeStore& attributes_;
  Block1Receiver blocks_;
  FormatList formats_;
  std::set<std::string> mutants_;
  bool mutant(std::string_view name) const { return mutants_.count(std::string(name)) > 0; }
};

}  // namespace fc::refclient
