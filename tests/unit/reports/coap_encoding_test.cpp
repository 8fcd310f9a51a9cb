// The CoAP encoder checked against libcoap's own parser: what we encode, libcoap decodes into
// the same Message.
#include <gtest/gtest.h>

#include <coap3/coap.h>

#include "suite/coap/message_encoding.h"

namespace fc::reports {
namespace {

coap::Message decode_with_libcoap(const Bytes& datagram) {
  coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_EMPTY_CODE, 0, 8192);
  EXPECT_NE(pdu, nullptr);
  EXPECT_EQ(coap_pdu_parse(COAP_PROTO_UDP, datagram.data(), datagram.size(), pdu), 1) << "libcoap rejects " << to_hex(datagram);
  auto message = coap::Message::from_pdu(pdu);
  coap_delete_pdu(pdu);
  return message;
}

TEST(CoapEncoding, HeaderTokenAndPayloadMarker) {
  coap::Message m;
  m.type = coap::MessageType::Ack;
  m.code = coap::code::Content;
  m.message_id = 0x1234;
  m.token = Bytes{0xab, 0xcd};
  m.content_format = 0;
  m.payload = to_bytes("2");
  // Ver 1, ACK, TKL 2 | 2.05 | mid | token | Content-Format (12) empty value | 0xFF | "2"
  EXPECT_EQ(to_hex(coap::encode_coap(m)), "62451234abcdc0ff32");
}

TEST(CoapEncoding, EveryKnownOptionSurvivesLibcoapParsing) {
  coap::Message m;
  m.type = coap::MessageType::Con;
  m.code = coap::code::Get;
  m.message_id = 65535;
  m.token = Bytes{1, 2, 3, 4, 5, 6, 7, 8};
  m.uri_path = {"fw", std::string(20, 'p'), std::string(255, 'q')};  // the 13 length form, up to the limit
  m.uri_query = {"ep=dut", "lt=300"};
  m.location_path = {"rd", "7"};
  m.content_format = 11542;
  m.accept = 112;
  m.observe = 0x12345;
  m.block1 = coap::BlockOption{3, true, 2};
  m.block2 = coap::BlockOption{1000, false, 6};
  m.size1 = 70000;  // option 60: a delta past 13
  m.size2 = 8192;
  m.etags = {Bytes{0xe7}, Bytes{0x01, 0x02, 0x03, 0x04}};
  m.payload = Bytes(300, 0x5a);
  auto back = decode_with_libcoap(coap::encode_coap(m));
  EXPECT_EQ(back.summary(), m.summary());
  EXPECT_EQ(back.uri_path, m.uri_path);
  EXPECT_EQ(back.uri_query, m.uri_query);
  EXPECT_EQ(back.location_path, m.location_path);
  EXPECT_EQ(back.token, m.token);
  EXPECT_EQ(back.etags, m.etags);
  EXPECT_EQ(back.block1, m.block1);
  EXPECT_EQ(back.block2, m.block2);
  EXPECT_EQ(back.size1, m.size1);
  EXPECT_EQ(back.payload, m.payload);
}

TEST(CoapEncoding, ZeroValuedUintOptionsAreEmpty) {
  coap::Message m;
  m.type = coap::MessageType::Non;
  m.code = coap::code::Content;
  m.observe = 0;
  m.block2 = coap::BlockOption{0, false, 0};
  // 0x50: Ver 1, NON, TKL 0 | 2.05 | mid 0 | Observe (6) len 0 | Block2 (23, delta 17 = 13+4) len 0
  EXPECT_EQ(to_hex(coap::encode_coap(m)), "5045000060d004");
  auto back = decode_with_libcoap(coap::encode_coap(m));
  EXPECT_EQ(back.observe, std::optional<std::uint32_t>(0));
  EXPECT_EQ(back.block2, m.block2);
}

TEST(CoapEncoding, EmptyMessageIsFourBytes) {
  coap::Message m;
  m.type = coap::MessageType::Rst;
  m.code = coap::code::Empty;
  m.message_id = 7;
  EXPECT_EQ(to_hex(coap::encode_coap(m)), "70000007");
}

}  // namespace
}  // namespace fc::reports
