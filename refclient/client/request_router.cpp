#include "refclient/client/request_router.h"

#include <exception>
#include <variant>

#include <fmt/format.h>

#include "refclient/client/content_negotiation.h"
#include "refclient/firmware/mutants.h"
#include "suite/lwm2m/base64.h"
#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/link_format.h"

namespace fc::refclient {

using lwm2m::ContentFormat;
using lwm2m::Path;
using lwm2m::Records;

namespace {

DmResponse not_found(const Path& path) { return DmResponse::error(4, 4, fmt::format("{} does not exist", path.str())); }
DmResponse not_allowed(const Path& path, const char* what) {
  return DmResponse::error(4, 5, fmt::format("{} {}", path.str(), what));
}

bool holds_bytes(const lwm2m::Value& value) { return std::holds_alternative<Bytes>(value.storage()); }

DmResponse from_answer(const CoapAnswer& answer) {
  if (answer.ok()) return DmResponse::code(answer.code_class, answer.code_detail);
  return to_response(answer);
}

}  // namespace

RequestRouter::RequestRouter(const ObjectRegistry& objects, AttributeStore& attributes, FormatList formats,
                             std::set<std::string> mutants)
    : objects_(objects), attributes_(attributes), formats_(std::move(formats)), mutants_(std::move(mutants)) {}

DmResponse RequestRouter::handle(const DmRequest& request) {
  try {
    return dispatch(request);
  } catch (const lwm2m::CodecError& error) {
    return DmResponse::error(4, 0, error.what());
  } catch (const std::exception& error) {
    return DmResponse::error(5, 0, error.what());
  }
}

std::optional<RequestRouter::Target> RequestRouter::resolve(const Path& path) const {
  if (path.is_root()) return std::nullopt;
  Target target;
  target.object = objects_.find(path.object());
  if (!target.object) return std::nullopt;
  if (path.depth() >= 2 && !target.object->has_instance(path.instance())) return std::nullopt;
  if (path.depth() >= 3) {
    target.resource = target.object->find_resource(path.resource());
    if (!target.resource) return std::nullopt;
    if (path.depth() == 4 && !target.resource->multiple) return std::nullopt;
  }
  return target;
}

DmResponse RequestRouter::dispatch(const DmRequest& request) {
  const Path& path = request.path;
  const auto target = resolve(path);
  if (!target) return not_found(path);

  switch (request.method) {
    case Method::Get:
      if (request.accept == static_cast<std::uint16_t>(ContentFormat::LinkFormat)) return discover(path, *target);
      return render(path, request.accept);
    case Method::Put:
      if (request.payload.empty() && !request.content_format && !request.queries.empty()) {
        return write_attributes(request);
      }
      if (path.is_object()) return not_allowed(path, "cannot be replaced as a whole");
      return write(request, *target);
    case Method::Post:
      if (path.is_object()) return not_allowed(path, "does not allow Create");
      if (path.is_instance()) return write(request, *target);
      return execute(request, *target);
    case Method::Delete:
      if (mutant(mutant::kDeleteInstanceAccepted) && path == Path{5, 0}) return DmResponse::code(2, 2);
      return not_allowed(path, "cannot be deleted");
    case Method::Other:
      break;
  }
  return not_allowed(path, "does not support this method");
}

std::optional<Records> RequestRouter::read_records(const Path& path, const Target& target) const {
  auto& object = *target.object;
  if (path.depth() >= 3) {
    const auto& def = *target.resource;
    if (def.executable && !def.readable) return std::nullopt;
    auto records = object.read(path.instance(), path.resource());
    if (!records || path.depth() == 3) return records;
    Records one;
    for (auto& record : *records) {
      if (record.path == path) one.push_back(std::move(record));
    }
    return one;
  }
  Records records;
  std::vector<std::uint16_t> instances = path.is_object() ? object.instances() : std::vector{path.instance()};
  for (auto instance : instances) {
    for (const auto& def : object.resources()) {
      if (!def.readable) continue;
      auto values = object.read(instance, def.id);
      if (!values) continue;
      records.insert(records.end(), values->begin(), values->end());
    }
  }
  return records;
}

std::optional<Records> RequestRouter::snapshot(const Path& path) const {
  const auto target = resolve(path);
  if (!target) return std::nullopt;
  try {
    return read_records(path, *target);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

DmResponse RequestRouter::render(const Path& path, std::optional<std::uint16_t> accept, const Records* given) const {
  try {
    const auto target = resolve(path);
    if (!target) return not_found(path);
    std::optional<Records> live;
    if (!given) {
      live = read_records(path, *target);
      if (!live) return not_allowed(path, "is not readable");
      given = &*live;
    }
    const Records& records = *given;
    if (path.is_resource_instance() && records.empty()) return not_found(path);

    ReadTarget shape;
    shape.single_value = path.is_resource_instance() || (path.is_resource() && !target->resource->multiple);
    shape.opaque = shape.single_value && ((target->resource && target->resource->opaque) ||
                                          (records.size() == 1 && holds_bytes(records.front().value)));
    const bool accept_ignored = mutant(mutant::kAcceptIgnored) && !shape.single_value;
    const auto format = choose_read_format(accept_ignored ? std::nullopt : accept, shape, formats_);
    if (!format) {
      return DmResponse::error(4, 6, fmt::format("{} cannot be answered in {}", path.str(),
                                                 accept ? fmt::format("Content-Format {}", *accept)
                                                        : std::string("any format this client is given")));
    }
    DmResponse response = DmResponse::code(2, 5);
    response.content_format = static_cast<std::uint16_t>(*format);
    response.payload = lwm2m::encode(*format, path, records);
    return response;
  } catch (const std::exception& error) {
    return DmResponse::error(5, 0, fmt::format("reading {}: {}", path.str(), error.what()));
  }
}

DmResponse RequestRouter::discover(const Path& path, const Target& target) const {
  auto& object = *target.object;
  std::vector<lwm2m::Link> links;
  auto add = [&](const Path& at, std::vector<lwm2m::LinkAttribute> extra) {
    auto attributes = std::move(extra);
    for (auto& attribute : attributes_.link_attributes(at)) attributes.push_back(std::move(attribute));
    links.push_back({at.str(), std::move(attributes)});
  };
  auto add_resource = [&](const Path& at, const ResourceDef& def) {
    std::vector<lwm2m::LinkAttribute> extra;
    if (def.multiple && def.readable) {
      const auto values = object.read(at.instance(), def.id);
      if (values) extra.push_back({"dim", std::to_string(values->size())});
    }
    add(at, std::move(extra));
  };
  auto add_instance = [&](std::uint16_t instance) {
    const Path at{object.id(), instance};
    add(at, {});
    for (const auto& def : object.resources()) add_resource(at.child(def.id), def);
  };

  if (path.is_object()) {
    std::vector<lwm2m::LinkAttribute> version;
    if (object.version()) version.push_back({"ver", *object.version()});
    add(path, std::move(version));
    for (auto instance : object.instances()) add_instance(instance);
  } else if (path.is_instance()) {
    add_instance(path.instance());
  } else if (path.is_resource()) {
    add_resource(path, *target.resource);
  } else {
    add(path, {});
  }
  DmResponse response = DmResponse::code(2, 5);
  response.content_format = static_cast<std::uint16_t>(ContentFormat::LinkFormat);
  response.payload = to_bytes(lwm2m::write_link_format(links));
  return response;
}

DmResponse RequestRouter::write_attributes(const DmRequest& request) {
  try {
    attributes_.apply(request.path, request.queries);
  } catch (const AttributeError& error) {
    return DmResponse::error(4, 0, error.what());
  }
  return DmResponse::code(2, 4);
}

DmResponse RequestRouter::write(const DmRequest& request, const Target& target) {
  const Path& path = request.path;
  if (target.resource && target.resource->streamed) return write_streamed(request, target);

  const bool writable_by_mutant = mutant(mutant::kUpdateResultWritable) && path == Path{5, 0, 5};
  if (target.resource && !target.resource->writable && !writable_by_mutant) return not_allowed(path, "is not writable");
  const std::uint16_t format = request.content_format.value_or(static_cast<std::uint16_t>(ContentFormat::Text));
  if (!is_supported_write_format(format, formats_)) {
    return DmResponse::error(4, 15, fmt::format("Content-Format {} is not supported for Write", format));
  }
  if (request.payload.empty() && format != static_cast<std::uint16_t>(ContentFormat::Text)) {
    return DmResponse::error(4, 0, fmt::format("empty Write payload for {}", path.str()));
  }
  const auto records = lwm2m::decode(static_cast<ContentFormat>(format), path, request.payload);
  if (path.is_instance()) return write_instance(request, target, records);

  if (target.resource->multiple || path.is_resource_instance()) {
    return not_allowed(path, "is a multiple resource this client does not accept writes for");
  }
  if (records.size() != 1 || records.front().path != path) {
    return DmResponse::error(4, 0, fmt::format("Write to {} must carry exactly one value for it", path.str()));
  }
  return from_answer(target.object->write(path.instance(), path.resource(), records.front().value));
}

DmResponse RequestRouter::write_streamed(const DmRequest& request, const Target& target) {
  const Path& path = request.path;
  if (!path.is_resource()) return not_allowed(path, "is not writable this way");
  auto& object = *target.object;
  const auto instance = path.instance();
  const auto resource = path.resource();
  const std::uint16_t format = request.content_format.value_or(static_cast<std::uint16_t>(ContentFormat::Opaque));

  if (format == static_cast<std::uint16_t>(ContentFormat::Opaque)) {
    return blocks_.receive(request, [&](std::uint64_t offset, ByteView data, bool more,
                                        std::optional<std::uint64_t> total, int szx) {
      return object.write_block(instance, resource, offset, data, more, total, szx);
    });
  }
  const auto structured = static_cast<ContentFormat>(format);
  if (structured == ContentFormat::Text || !is_supported_write_format(format, formats_) || request.block1) {
    return DmResponse::error(4, 15, fmt::format("{} takes application/octet-stream (42), or a format for several "
                                                "values this client accepts in one message; got {}",
                                                path.str(), format));
  }
  const auto records = lwm2m::decode(structured, path, request.payload);
  if (records.size() != 1 || records.front().path != path) {
    return DmResponse::error(4, 0, fmt::format("Write to {} must carry exactly one value for it", path.str()));
  }
  const auto& value = records.front().value;
  // LwM2M JSON has no opaque type: the package comes as base64 text (TS Core 1.0 §6.4.4).
  const bool base64 = structured == ContentFormat::LwM2mJson && std::holds_alternative<std::string>(value.storage());
  const auto bytes = base64 ? lwm2m::base64_decode(value.as_string()) : value.as_bytes();
  blocks_.reset();
  return from_answer(object.write_block(instance, resource, 0, bytes, false, bytes.size(), 6));
}

DmResponse RequestRouter::write_instance(const DmRequest& request, const Target& target, const Records& records) {
  auto& object = *target.object;
  // Check every value before writing any, so a rejected Write changes nothing.
  for (const auto& record : records) {
    if (!request.path.contains(record.path) || record.path.depth() != 3) {
      return DmResponse::error(4, 0, fmt::format("{} is not a single resource of {}", record.path.str(),
                                                 request.path.str()));
    }
    const auto def = object.find_resource(record.path.resource());
    if (!def) return not_found(record.path);
    if (!def->writable || def->multiple || def->streamed) return not_allowed(record.path, "is not writable");
  }
  for (const auto& record : records) {
    const auto answer = object.write(record.path.instance(), record.path.resource(), record.value);
    if (!answer.ok()) return to_response(answer);
  }
  return DmResponse::code(2, 4);
}

DmResponse RequestRouter::execute(const DmRequest& request, const Target& target) {
  const Path& path = request.path;
  if (!path.is_resource()) return not_allowed(path, "is not executable");
  const auto& def = *target.resource;
  if (def.executable) {
    return from_answer(target.object->execute(path.instance(), path.resource(), to_string(request.payload)));
  }
  // Some servers push the Package with POST; a POST with content to a writable resource is
  // taken as a Write rather than refused.
  if (def.writable && (!request.payload.empty() || request.block1) && !mutant(mutant::kPostPushRefused))
    return write(request, target);
  return not_allowed(path, "is not executable");
}

}  // namespace fc::refclient
