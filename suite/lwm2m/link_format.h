// CoRE Link Format (RFC 6690) as LwM2M uses it: registration object lists and Discover.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/path.h"

namespace fc::lwm2m {

struct LinkAttribute {
  std::string name;
  std::optional<std::string> value;  // without quotes; nullopt for a bare attribute like `obs`
  bool operator==(const LinkAttribute&) const = default;
};

struct Link {
  std::string target;  // between < and >, e.g. "/5/0"
  std::vector<LinkAttribute> attributes;
  const LinkAttribute* find(std::string_view name) const;
  bool operator==(const Link&) const = default;
};

// Parses `</1/0>,</5>;ver=1.1,</>;rt="oma.lwm2m";ct="60 110"`. Quoted values may contain ',' and
// ';'. Throws CodecError(LinkFormat) with the offset on: a missing '<' or '>', an unterminated
// quote, an empty attribute name, trailing garbage.
std::vector<Link> parse_link_format(std::string_view text);
std::string write_link_format(const std::vector<Link>& links);

// What a Register or Update payload says about the client's objects (TS Core §6.2.1 / §5.3.1).
struct ObjectLink {
  Path path;                            // object or object instance
  std::optional<std::string> version;   // `ver=` as given
  bool operator==(const ObjectLink&) const = default;
};
struct RegisteredObjects {
  // "/" unless an alternate path with rt="oma.lwm2m" such as "/lwm2m": a string, since an
  // alternate path need not be numeric. Request paths go below it.
  std::string root = "/";
  std::vector<std::uint16_t> content_formats;  // from `ct` on the root link, when given
  std::vector<ObjectLink> objects;        // in payload order
  // Version of `object` from `ver` on its object or instance link; nullopt when not given.
  std::optional<std::string> version_of(std::uint16_t object) const;
  bool has_object(std::uint16_t object) const;
};
// Throws CodecError(LinkFormat) for a broken link list or a target that is not an LwM2M path
// (below the alternate root, when one is given).
RegisteredObjects parse_registered_objects(std::string_view payload);

}  // namespace fc::lwm2m
