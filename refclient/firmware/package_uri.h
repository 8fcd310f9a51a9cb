// Package URI (/5/0/1) parsing: the scheme decides the protocol (reference §4.1), the rest
// where to fetch from. Only what a pull needs: host, port, path segments and query.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fc::refclient {

struct PackageUri {
  std::string scheme;  // lower case: "coap", "http", ...
  std::string host;    // without brackets for IPv6 literals
  std::uint16_t port = 0;
  std::vector<std::string> path_segments;   // percent-decoded
  std::vector<std::string> query_segments;  // percent-decoded, split at '&'
  std::string path_and_query;               // as written, for HTTP request lines ("/" if empty)
};

// The scheme of a URI (RFC 3986 §3.1), lower-cased, or nullopt when the text has none.
std::optional<std::string> uri_scheme(std::string_view uri);

// /5/0/8 protocol number for a scheme (coap 0, coaps 1, http 2, https 3, coap+tcp 4,
// coaps+tcp 5), nullopt for schemes /5 does not know.
std::optional<int> protocol_for_scheme(std::string_view scheme);

// Parses scheme://host[:port][/path][?query]. The error names the problem and its offset.
std::variant<PackageUri, std::string> parse_package_uri(std::string_view uri);

}  // namespace fc::refclient
