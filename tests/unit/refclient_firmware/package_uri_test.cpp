// Package URI parsing: scheme to protocol (reference §4.1) and the parts a pull needs.
#include "refclient/firmware/package_uri.h"

#include <gtest/gtest.h>

namespace fc::refclient {
namespace {

PackageUri parsed(const std::string& text) {
  auto result = parse_package_uri(text);
  if (auto* error = std::get_if<std::string>(&result)) ADD_FAILURE() << text << ": " << *error;
  return std::get_if<PackageUri>(&result) ? std::get<PackageUri>(result) : PackageUri{};
}

std::string error_of(const std::string& text) {
  auto result = parse_package_uri(text);
  return std::get_if<std::string>(&result) ? std::get<std::string>(result) : std::string("(parsed)");
}

TEST(PackageUri, SchemesMapToProtocolNumbers) {
  EXPECT_EQ(protocol_for_scheme("coap"), 0);
  EXPECT_EQ(protocol_for_scheme("coaps"), 1);
  EXPECT_EQ(protocol_for_scheme("http"), 2);
  EXPECT_EQ(protocol_for_scheme("https"), 3);
  EXPECT_EQ(protocol_for_scheme("coap+tcp"), 4);
  EXPECT_EQ(protocol_for_scheme("coaps+tcp"), 5);
  EXPECT_EQ(protocol_for_scheme("ftp"), std::nullopt);
}

TEST(PackageUri, SchemeIsLowerCasedAndNeedsALetterFirst) {
  EXPECT_EQ(uri_scheme("CoAP://h/x"), std::optional<std::string>("coap"));
  EXPECT_EQ(uri_scheme("1coap://h"), std::nullopt);
  EXPECT_EQ(uri_scheme("no scheme"), std::nullopt);
  EXPECT_EQ(uri_scheme(":x"), std::nullopt);
}

TEST(PackageUri, CoapUriWithPortPathAndQuery) {
  const auto uri = parsed("coap://127.0.0.1:5690/fw/pkg%20v2.bin?rev=3&x");
  EXPECT_EQ(uri.scheme, "coap");
  EXPECT_EQ(uri.host, "127.0.0.1");
  EXPECT_EQ(uri.port, 5690);
  EXPECT_EQ(uri.path_segments, (std::vector<std::string>{"fw", "pkg v2.bin"}));
  EXPECT_EQ(uri.query_segments, (std::vector<std::string>{"rev=3", "x"}));
  EXPECT_EQ(uri.path_and_query, "/fw/pkg%20v2.bin?rev=3&x");
}

TEST(PackageUri, DefaultPortsAndEmptyPath) {
  const auto coap = parsed("coap://example.com");
  EXPECT_EQ(coap.port, 5683);
  EXPECT_TRUE(coap.path_segments.empty());
  EXPECT_EQ(coap.path_and_query, "/");
  EXPECT_EQ(parsed("http://example.com/").port, 80);
  EXPECT_TRUE(parsed("http://example.com/").path_segments.empty());
  EXPECT_EQ(parsed("coaps://example.com/a").port, 5684);
}

TEST(PackageUri, Ipv6Literal) {
  const auto uri = parsed("coap://[::1]:5683/a/b");
  EXPECT_EQ(uri.host, "::1");
  EXPECT_EQ(uri.port, 5683);
  EXPECT_EQ(uri.path_segments, (std::vector<std::string>{"a", "b"}));
}

TEST(PackageUri, ErrorsNameTheProblem) {
  EXPECT_EQ(error_of("coap://"), "empty host at offset 7");
  EXPECT_EQ(error_of("coap://h:99999/x"), "port 99999 out of range 1..65535");
  EXPECT_EQ(error_of("coap://h:80a/x"), "port \"80a\" is not a number");
  EXPECT_EQ(error_of("coap:/h/x"), "expected \"//\" after the scheme at offset 5");
  EXPECT_EQ(error_of("coap://h/a b"), "character 0x20 not allowed in a URI at offset 10");
  EXPECT_EQ(error_of("coap://h/%4"), "truncated percent escape at offset 9");
  EXPECT_EQ(error_of("coap://h/%zz"), "bad percent escape at offset 9");
  EXPECT_EQ(error_of("coap://user@h/x"), "user information in the URI is not supported");
  EXPECT_EQ(error_of("coap://[::1/x"), "unterminated IPv6 literal at offset 7");
}

}  // namespace
}  // namespace fc::refclient
