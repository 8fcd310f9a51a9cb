// What a client sees of a package at each position: the ETag (and its change), the bytes (and
// their change), the error a position gets (once or always), the announced size, the block cap.
#include <gtest/gtest.h>

#include "suite/repository/hosted_package.h"

namespace fc::repository {
namespace {

Bytes pattern(std::size_t n) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return out;
}

HostedPackage package(std::size_t size, const std::string& impairments) {
  return HostedPackage("/fw/a.bin", {}, pattern(size), parse_impairments(impairments));
}

RequestPosition block(std::uint64_t num, std::size_t size = 1024) { return RequestPosition{num, num * size, size}; }
RequestPosition byte(std::uint64_t offset) { return RequestPosition{0, offset, 0}; }

TEST(HostedPackage, EtagIsTheFirstEightBytesOfTheContentsSha256) {
  EXPECT_EQ(to_hex(content_etag(to_bytes("abc"))), "ba7816bf8f01cfea");
  HostedPackage p("/a", {}, to_bytes("abc"), {});
  EXPECT_EQ(to_hex(p.etag()), "ba7816bf8f01cfea");
  EXPECT_EQ(to_hex(changed_etag(p.etag())), "4587e94070fe3015");
}

TEST(HostedPackage, EtagChangesFromItsBlockOnOverCoapOnly) {
  auto p = package(5000, "etag-change-at-block:2");
  EXPECT_EQ(p.etag_at(Transport::Coap, block(1)), p.etag());
  EXPECT_EQ(p.etag_at(Transport::Coap, block(2)), changed_etag(p.etag()));
  EXPECT_EQ(p.etag_at(Transport::Coap, block(4)), changed_etag(p.etag()));
  EXPECT_EQ(p.etag_at(Transport::Http, byte(4096)), p.etag());
}

TEST(HostedPackage, EtagChangesFromItsByteForRequestsStartingThere) {
  auto p = package(5000, "etag-change-at-byte:2048");
  EXPECT_EQ(p.etag_at(Transport::Http, byte(0)), p.etag());
  EXPECT_EQ(p.etag_at(Transport::Http, byte(2047)), p.etag());
  EXPECT_EQ(p.etag_at(Transport::Http, byte(2048)), changed_etag(p.etag()));
  EXPECT_EQ(p.etag_at(Transport::Coap, block(2)), changed_etag(p.etag()));
  EXPECT_EQ(p.etag_at(Transport::Coap, block(1)), p.etag());
}

TEST(HostedPackage, ContentChangesFromItsPositionWhileTheEtagStays) {
  auto p = package(64, "content-change-at-block:1");
  auto bytes = p.bytes(Transport::Coap, 0, 32, 16);
  ASSERT_EQ(bytes.size(), 32u);
  for (std::size_t i = 0; i < 32; ++i)
    EXPECT_EQ(bytes[i], i < 16 ? p.content()[i] : static_cast<std::uint8_t>(~p.content()[i])) << i;
  EXPECT_EQ(p.etag_at(Transport::Coap, block(1, 16)), p.etag());
  EXPECT_EQ(p.bytes(Transport::Http, 0, 64, 0), p.content());  // block positions mean nothing over HTTP

  auto q = package(64, "content-change-at-byte:10");
  auto tail = q.bytes(Transport::Http, 8, 4, 0);
  EXPECT_EQ(tail, (Bytes{q.content()[8], q.content()[9], static_cast<std::uint8_t>(~q.content()[10]),
                         static_cast<std::uint8_t>(~q.content()[11])}));
}

TEST(HostedPackage, BytesStopAtTheEnd) {
  auto p = package(100, "");
  EXPECT_EQ(p.bytes(Transport::Coap, 96, 16, 16).size(), 4u);
  EXPECT_TRUE(p.bytes(Transport::Coap, 100, 16, 16).empty());
}

TEST(HostedPackage, AnErrorAnswersEveryRequestFromItsPosition) {
  auto p = package(5000, "error-at-block:2,code=5.03");
  EXPECT_FALSE(p.error_at(Transport::Coap, block(1)).has_value());
  ASSERT_TRUE(p.error_at(Transport::Coap, block(2)).has_value());
  EXPECT_EQ(p.error_at(Transport::Coap, block(2))->code, coap::code::ServiceUnavailable);
  EXPECT_TRUE(p.error_at(Transport::Coap, block(3)).has_value());
  EXPECT_FALSE(p.error_at(Transport::Http, byte(4096)).has_value());
}

TEST(HostedPackage, AOnceErrorIsUsedUpPerTransport) {
  auto p = package(5000, "error-at-byte:0,code=404,once");
  EXPECT_TRUE(p.error_at(Transport::Http, byte(0)).has_value());
  EXPECT_FALSE(p.error_at(Transport::Http, byte(0)).has_value());
  EXPECT_TRUE(p.error_at(Transport::Coap, block(0)).has_value());
  EXPECT_FALSE(p.error_at(Transport::Coap, block(0)).has_value());
}

TEST(HostedPackage, AnnouncedSizeAndBlockCapComeFromImpairments) {
  auto plain = package(5000, "");
  EXPECT_EQ(plain.announced_size(Transport::Coap), 5000u);
  EXPECT_FALSE(plain.announces_size(Transport::Http));
  EXPECT_EQ(plain.max_block_size(), 1024u);
  EXPECT_FALSE(plain.needs_relay());
  auto odd = package(5000, "announce-size:2000000;max-block:256;max-block:64;delay:10ms");
  EXPECT_EQ(odd.announced_size(Transport::Http), 2000000u);
  EXPECT_TRUE(odd.announces_size(Transport::Coap));
  EXPECT_EQ(odd.max_block_size(), 64u);
  EXPECT_TRUE(odd.needs_relay());
  EXPECT_EQ(odd.impairments_for(Transport::Http).size(), 2u);
  EXPECT_FALSE(package(10, "http-close-after:5;error-at-block:0,code=5.03").needs_relay());
}

TEST(HostedPackage, QueryStringJoinsItsItems) {
  HostedPackage p("/fw/a.bin", {"token=abc", "v"}, {}, {});
  EXPECT_EQ(p.query_string(), "token=abc&v");
}

}  // namespace
}  // namespace fc::repository
