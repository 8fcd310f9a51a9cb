// A small RFC 3986 reader for the pull URIs the reference client accepts.
#include "refclient/firmware/package_uri.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace fc::refclient {

namespace {

bool is_scheme_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes `text` (which starts at `offset` in the URI, for the error message).
std::variant<std::string, std::string> percent_decode(std::string_view text, std::size_t offset) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) {
      return std::variant<std::string, std::string>(
          std::in_place_index<1>, fmt::format("truncated percent escape at offset {}", offset + i));
    }
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) {
      return std::variant<std::string, std::string>(
          std::in_place_index<1>, fmt::format("bad percent escape at offset {}", offset + i));
    }
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return std::variant<std::string, std::string>(std::in_place_index<0>, std::move(out));
}

std::optional<std::uint16_t> default_port(std::string_view scheme) {
  if (scheme == "coap" || scheme == "coap+tcp") return 5683;
  if (scheme == "coaps" || scheme == "coaps+tcp") return 5684;
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> uri_scheme(std::string_view uri) {
  const auto colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  if (std::isalpha(static_cast<unsigned char>(uri[0])) == 0) return std::nullopt;
  std::string scheme;
  for (std::size_t i = 0; i < colon; ++i) {
    if (!is_scheme_char(uri[i])) return std::nullopt;
    scheme.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(uri[i]))));
  }
  return scheme;
}

std::optional<int> protocol_for_scheme(std::string_view scheme) {
  static constexpr std::string_view kSchemes[] = {"coap", "coaps", "http", "https", "coap+tcp", "coaps+tcp"};
  for (int i = 0; i < 6; ++i) {
    if (kSchemes[i] == scheme) return i;
  }
  return std::nullopt;
}

std::variant<PackageUri, std::string> parse_package_uri(std::string_view uri) {
  using Result = std::variant<PackageUri, std::string>;
  auto fail = [](std::string why) { return Result(std::in_place_index<1>, std::move(why)); };

  for (std::size_t i = 0; i < uri.size(); ++i) {
    const auto c = static_cast<unsigned char>(uri[i]);
    if (c <= 0x20 || c >= 0x7f)
      return fail(fmt::format("character 0x{:02x} not allowed in a URI at offset {}", c, i));
  }
  const auto scheme = uri_scheme(uri);
  if (!scheme) return fail("no scheme (expected scheme://host/path)");
  PackageUri out;
  out.scheme = *scheme;
  std::size_t at = scheme->size() + 1;
  if (uri.substr(at, 2) != "//")
    return fail(fmt::format("expected \"//\" after the scheme at offset {}", at));
  at += 2;

  const auto authority_end = std::min(uri.find_first_of("/?#", at), uri.size());
  std::string_view authority = uri.substr(at, authority_end - at);
  if (authority.find('@') != std::string_view::npos)
    return fail("user information in the URI is not supported");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos)
      return fail(fmt::format("unterminated IPv6 literal at offset {}", at));
    out.host = std::string(authority.substr(1, close - 1));
    const auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':')
        return fail(fmt::format("unexpected text after the IPv6 literal at offset {}", at + close + 1));
      port_text = rest.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) return fail(fmt::format("empty host at offset {}", at));
  for (char c : out.host) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '.' && c != '-' && c != '_' && c != ':' &&
        c != '%') {
      return fail(fmt::format("character '{}' not allowed in the host \"{}\"", c, out.host));
    }
  }
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return fail(fmt::format("port \"{}\" is not a number", port_text));
    }
    const int port = std::stoi(std::string(port_text));
    if (port < 1 || port > 65535) return fail(fmt::format("port {} out of range 1..65535", port));
    out.port = static_cast<std::uint16_t>(port);
  } else {
    out.port = default_port(out.scheme).value_or(0);
  }

  at = authority_end;
  const auto fragment = uri.find('#', at);
  const auto end = fragment == std::string_view::npos ? uri.size() : fragment;
  const auto query_start = uri.find('?', at);
  const auto path_end = query_start == std::string_view::npos || query_start > end ? end : query_start;
  const std::string_view path = uri.substr(at, path_end - at);
  out.path_and_query = std::string(uri.substr(at, end - at));
  if (out.path_and_query.empty() || out.path_and_query.front() != '/')
    out.path_and_query = std::string("/") + out.path_and_query;

  // RFC 7252 §6.4: an empty path or "/" alone carries no Uri-Path option.
  std::size_t seg_start = 1;
  while (path.size() > 1 && seg_start <= path.size()) {
    const auto slash = std::min(path.find('/', seg_start), path.size());
    auto decoded = percent_decode(path.substr(seg_start, slash - seg_start), at + seg_start);
    if (decoded.index() == 1) return fail(std::get<1>(decoded));
    // A trailing slash makes an empty last segment, which CoAP carries as an empty Uri-Path.
    out.path_segments.push_back(std::move(std::get<0>(decoded)));
    seg_start = slash + 1;
  }
  if (path_end < end) {
    const std::string_view query = uri.substr(path_end + 1, end - path_end - 1);
    std::size_t q = 0;
    while (q <= query.size() && !query.empty()) {
      const auto amp = std::min(query.find('&', q), query.size());
      auto decoded = percent_decode(query.substr(q, amp - q), path_end + 1 + q);
      if (decoded.index() == 1) return fail(std::get<1>(decoded));
      out.query_segments.push_back(std::move(std::get<0>(decoded)));
      q = amp + 1;
    }
  }
  return Result(std::in_place_index<0>, std::move(out));
}

}  // namespace fc::refclient
