// TLV payloads built byte by byte from the TS Core §7.4.3 layout, decoded at each base level.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

Value raw(std::initializer_list<std::uint8_t> bytes) { return Value::raw_tlv(Bytes(bytes)); }

// A Read of /5/0 from a device that has downloaded a package over CoAP:
//   /5/0/1 Package URI (string of 20 bytes, 8-bit length field)
//   /5/0/3 State = 2 (Downloaded), /5/0/5 Update Result = 0
//   /5/0/8 Firmware Update Protocol Support = {0: 0 (CoAP), 1: 3 (HTTPS)}
//   /5/0/9 Firmware Update Delivery Method = 2 (push and pull)
const std::string kPackageUri = "coap://[::1]:5683/fw";
Bytes firmware_instance_read() {
  const Bytes uri_header = {0xC8, 0x01, 0x14};  // resource, 8-bit id 1, 8-bit length 20
  const Bytes rest = {
      0xC1, 0x03, 0x02,  // resource 3, length 1, value 2
      0xC1, 0x05, 0x00,  // resource 5, length 1, value 0
      0x86, 0x08,        // multiple resource 8, length 6
      0x41, 0x00, 0x00,  //   resource instance 0, length 1, value 0
      0x41, 0x01, 0x03,  //   resource instance 1, length 1, value 3
      0xC1, 0x09, 0x02,  // resource 9, length 1, value 2
  };
  return from_hex(to_hex(uri_header) + to_hex(to_bytes(kPackageUri)) + to_hex(rest));
}

TEST(TlvDecode, FirmwareInstanceReadOnInstance) {
  const auto records = decode_tlv(Path{5, 0}, firmware_instance_read());
  const Records expected = {
      {Path{5, 0, 1}, Value::raw_tlv(to_bytes(kPackageUri))},
      {Path{5, 0, 3}, raw({0x02})},
      {Path{5, 0, 5}, raw({0x00})},
      {Path{5, 0, 8, 0}, raw({0x00})},
      {Path{5, 0, 8, 1}, raw({0x03})},
      {Path{5, 0, 9}, raw({0x02})},
  };
  EXPECT_EQ(records, expected);
  EXPECT_EQ(records[0].value.as_string(), kPackageUri);
  EXPECT_EQ(records[1].value.as_int(), 2);
  EXPECT_EQ(records[4].value.as_int(), 3);
}

TEST(TlvDecode, FirmwareObjectReadOnObject) {
  // Object instance 0 with an 8-bit length: 00 0 01 000.
  const auto body = firmware_instance_read();
  const auto payload =
      from_hex("0800" + to_hex(Bytes{static_cast<std::uint8_t>(body.size())}) + to_hex(body));
  const auto records = decode_tlv(Path{5}, payload);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(records[1], (Record{Path{5, 0, 3}, raw({0x02})}));
  EXPECT_EQ(records[4], (Record{Path{5, 0, 8, 1}, raw({0x03})}));
}

TEST(TlvDecode, TwoObjectInstances) {
  const Bytes payload = {
      0x03, 0x00, 0xC1, 0x03, 0x01,  // instance 0: resource 3 = 1
      0x03, 0x01, 0xC1, 0x03, 0x02,  // instance 1: resource 3 = 2
  };
  const Records expected = {{Path{5, 0, 3}, raw({1})}, {Path{5, 1, 3}, raw({2})}};
  EXPECT_EQ(decode_tlv(Path{5}, payload), expected);
}

TEST(TlvDecode, SingleResource) {
  EXPECT_EQ(decode_tlv(Path{5, 0, 3}, Bytes{0xC1, 0x03, 0x01}),
            (Records{{Path{5, 0, 3}, raw({0x01})}}));
}

TEST(TlvDecode, MultipleResourceAsMultipleResourceTlv) {
  const Bytes payload = {0x86, 0x08, 0x41, 0x00, 0x00, 0x41, 0x01, 0x03};
  const Records expected = {{Path{5, 0, 8, 0}, raw({0})}, {Path{5, 0, 8, 1}, raw({3})}};
  EXPECT_EQ(decode_tlv(Path{5, 0, 8}, payload), expected);
}

TEST(TlvDecode, MultipleResourceAsBareResourceInstances) {
  const Bytes payload = {0x41, 0x00, 0x00, 0x41, 0x01, 0x03};
  const Records expected = {{Path{5, 0, 8, 0}, raw({0})}, {Path{5, 0, 8, 1}, raw({3})}};
  EXPECT_EQ(decode_tlv(Path{5, 0, 8}, payload), expected);
}

TEST(TlvDecode, EmptyMultipleResource) {
  EXPECT_EQ(decode_tlv(Path{5, 0, 8}, Bytes{0x80, 0x08}), Records{});
}

TEST(TlvDecode, ResourceInstance) {
  EXPECT_EQ(decode_tlv(Path{5, 0, 8, 1}, Bytes{0x41, 0x01, 0x03}),
            (Records{{Path{5, 0, 8, 1}, raw({3})}}));
}

TEST(TlvDecode, EmptyInstanceAndObjectHaveNoRecords) {
  EXPECT_EQ(decode_tlv(Path{5, 0}, Bytes{}), Records{});
  EXPECT_EQ(decode_tlv(Path{5}, Bytes{}), Records{});
}

TEST(TlvDecode, SixteenBitIdentifierAndLengths) {
  // Resource 300 (16-bit id), 300-byte value (16-bit length): 11 1 10 000.
  Bytes payload = {0xF0, 0x01, 0x2C, 0x01, 0x2C};
  payload.insert(payload.end(), 300, 0xAA);
  const auto records = decode_tlv(Path{5, 0}, payload);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].path, (Path{5, 0, 300}));
  EXPECT_EQ(records[0].value, Value::raw_tlv(Bytes(300, 0xAA)));
}

TEST(TlvDecode, TwentyFourBitLength) {
  // Package (resource 0) of 70000 bytes: 11 0 11 000, length 0x011170.
  Bytes payload = {0xD8, 0x00, 0x01, 0x11, 0x70};
  payload.insert(payload.end(), 70000, 0x5A);
  const auto records = decode_tlv(Path{5, 0, 0}, payload);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].value.as_bytes().size(), 70000u);
}

TEST(TlvDecode, EmptyValue) {
  EXPECT_EQ(decode_tlv(Path{5, 0, 1}, Bytes{0xC0, 0x01}), (Records{{Path{5, 0, 1}, raw({})}}));
}

}  // namespace
}  // namespace fc::lwm2m
