// The relay's CoAP reader on hand-built datagrams (RFC 7252 §3): header, token, option deltas
// with their extended forms, Block2, payload size; and what it refuses.
#include <gtest/gtest.h>

#include "suite/repository/coap_wire.h"

namespace fc::repository {
namespace {

TEST(CoapWire, ReadsAConfirmableGetWithUriPathAndBlock2) {
  // CON GET mid=0x1234 tok=ab, Uri-Path "fw" (11), Block2 (23) = 3/0/1024.
  Bytes d{0x41, 0x01, 0x12, 0x34, 0xab, 0xb2, 'f', 'w', 0xc1, 0x36};
  auto m = parse_wire(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->type, coap::MessageType::Con);
  EXPECT_EQ(m->code, coap::code::Get);
  EXPECT_EQ(m->message_id, 0x1234);
  EXPECT_EQ(m->token, (Bytes{0xab}));
  ASSERT_TRUE(m->block2.has_value());
  EXPECT_EQ(*m->block2, (coap::BlockOption{3, false, 6}));
  EXPECT_EQ(m->payload_size, 0u);
  EXPECT_TRUE(m->is_request());
  EXPECT_FALSE(m->is_response());
}

TEST(CoapWire, ReadsAPiggybackedResponseWithExtendedDeltaAndTwoByteBlock2) {
  // ACK 2.05 mid=1 tok=ab, Block2 via delta 13+10, value 300/1/1024 = 0x12ce, payload "hello".
  Bytes d{0x61, 0x45, 0x00, 0x01, 0xab, 0xd2, 0x0a, 0x12, 0xce, 0xff, 'h', 'e', 'l', 'l', 'o'};
  auto m = parse_wire(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->type, coap::MessageType::Ack);
  EXPECT_EQ(m->code, coap::code::Content);
  ASSERT_TRUE(m->block2.has_value());
  EXPECT_EQ(*m->block2, (coap::BlockOption{300, true, 6}));
  EXPECT_EQ(m->payload_size, 5u);
  EXPECT_TRUE(m->is_response());
  EXPECT_EQ(m->summary(), "ACK 2.05 mid=1 tok=ab Block2:300/1/1024 payload=5B");
}

TEST(CoapWire, SkipsOptionsItDoesNotNeedIncludingTwoByteExtendedDeltas) {
  // NON 2.05, ETag (4) of 2 bytes, then option 300 (delta 14: 269+27) empty, payload 3 bytes.
  Bytes d{0x50, 0x45, 0x00, 0x02, 0x42, 0x01, 0x02, 0xe0, 0x00, 0x1b, 0xff, 1, 2, 3};
  auto m = parse_wire(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->type, coap::MessageType::Non);
  EXPECT_FALSE(m->block2.has_value());
  EXPECT_EQ(m->payload_size, 3u);
}

TEST(CoapWire, ReadsAnEmptyAcknowledgement) {
  Bytes d{0x60, 0x00, 0x00, 0x09};
  auto m = parse_wire(d);
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->code, coap::code::Empty);
  EXPECT_FALSE(m->is_request());
  EXPECT_FALSE(m->is_response());
  EXPECT_TRUE(m->token.empty());
}

TEST(CoapWire, RefusesWhatIsNotWellFormedCoap) {
  EXPECT_FALSE(parse_wire(Bytes{0x41, 0x01, 0x00}).has_value());                      // shorter than a header
  EXPECT_FALSE(parse_wire(Bytes{0x81, 0x01, 0x00, 0x01, 0xab}).has_value());          // version 2
  EXPECT_FALSE(parse_wire(Bytes{0x49, 0x01, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9}).has_value());  // TKL 9
  EXPECT_FALSE(parse_wire(Bytes{0x42, 0x01, 0x00, 0x01, 0xab}).has_value());          // token cut short
  EXPECT_FALSE(parse_wire(Bytes{0x40, 0x01, 0x00, 0x01, 0xb5, 'a'}).has_value());     // option past the end
  EXPECT_FALSE(parse_wire(Bytes{0x40, 0x01, 0x00, 0x01, 0xff}).has_value());          // marker, no payload
  EXPECT_FALSE(parse_wire(Bytes{0x40, 0x01, 0x00, 0x01, 0xf1, 0x00}).has_value());    // reserved delta 15
  EXPECT_FALSE(parse_wire(Bytes{0x40, 0x01, 0x00, 0x01, 0xd1}).has_value());          // extension missing
  EXPECT_FALSE(parse_wire(Bytes{0x40, 0x01, 0x00, 0x01, 0xd4, 0x0a, 1, 2, 3, 4}).has_value());  // Block2 of 4 bytes
}

}  // namespace
}  // namespace fc::repository
