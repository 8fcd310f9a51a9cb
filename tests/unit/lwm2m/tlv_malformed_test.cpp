// Broken TLV payloads: each must throw CodecError(Tlv) at the byte where the fault is.
#include <gtest/gtest.h>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

struct Malformed {
  const char* name;
  Path base;
  Bytes payload;
  std::size_t offset;
  std::string problem;
};

class TlvMalformed : public testing::TestWithParam<Malformed> {};

TEST_P(TlvMalformed, ThrowsAtTheFaultyByte) {
  const auto& c = GetParam();
  try {
    decode_tlv(c.base, c.payload);
    FAIL() << "decoded " << to_hex(c.payload);
  } catch (const CodecError& error) {
    EXPECT_EQ(error.format(), ContentFormat::Tlv);
    EXPECT_EQ(error.offset(), c.offset);
    EXPECT_EQ(error.problem(), c.problem);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TlvMalformed,
    testing::Values(
        Malformed{
            "MissingTypeByte", Path{5, 0, 3}, {}, 0, "empty payload, expected a TLV for /5/0/3"},
        Malformed{"TruncatedIdentifier",
                  Path{5, 0},
                  {0xC1, 0x03, 0x02, 0xC1},
                  4,
                  "truncated TLV header: identifier needs 1 byte(s), 0 left"},
        Malformed{"TruncatedSixteenBitIdentifier",
                  Path{5, 0},
                  {0xE1, 0x01},
                  1,
                  "truncated TLV header: identifier needs 2 byte(s), 1 left"},
        Malformed{"ReservedIdentifier",
                  Path{5, 0},
                  {0xC1, 0x03, 0x02, 0xE1, 0xFF, 0xFF, 0x00},
                  4,
                  "TLV identifier 65535 is reserved"},
        Malformed{"TruncatedLength",
                  Path{5, 0},
                  {0xC8, 0x01},
                  2,
                  "truncated TLV header: length needs 1 byte(s), 0 left"},
        Malformed{"TwentyFourBitLengthPastEnd",
                  Path{5, 0},
                  {0xD8, 0x00, 0x00, 0x01, 0x00, 'a', 'b'},
                  5,
                  "TLV value of 256 byte(s) runs past the end (2 left)"},
        Malformed{"ShortLengthPastEnd",
                  Path{5, 0, 3},
                  {0xC3, 0x03, 0x01},
                  2,
                  "TLV value of 3 byte(s) runs past the end (1 left)"},
        Malformed{"ResourceInstanceDirectlyBelowInstance",
                  Path{5, 0},
                  {0xC1, 0x03, 0x02, 0x41, 0x00, 0x00},
                  3,
                  "a resource instance TLV (id 0) is not allowed directly below /5/0"},
        Malformed{"ObjectInstanceBelowInstance",
                  Path{5, 0},
                  {0x01, 0x00, 0x00},
                  0,
                  "an object instance TLV (id 0) is not allowed directly below /5/0"},
        Malformed{"ResourceDirectlyBelowObject",
                  Path{5},
                  {0xC1, 0x03, 0x02},
                  0,
                  "a resource TLV (id 3) is not allowed directly below /5"},
        Malformed{"ResourceInsideMultipleResource",
                  Path{5, 0},
                  {0x83, 0x08, 0xC1, 0x00, 0x00},
                  2,
                  "a resource TLV (id 0) is not allowed directly below /5/0/8"},
        Malformed{"ObjectInstanceInsideObjectInstance",
                  Path{5},
                  {0x02, 0x00, 0x00, 0x00},
                  2,
                  "an object instance TLV (id 0) is not allowed directly below /5/0"},
        Malformed{"ChildRunsPastParent",
                  Path{5, 0},
                  {0x82, 0x08, 0x41, 0x00, 0x00},
                  4,
                  "TLV value of 1 byte(s) runs past the end (0 left)"},
        Malformed{"TrailingJunkAfterSingleResource",
                  Path{5, 0, 3},
                  {0xC1, 0x03, 0x02, 0xFF},
                  3,
                  "1 trailing byte(s) after the TLV that answers /5/0/3"},
        Malformed{"TrailingJunkAfterInstance",
                  Path{5, 0},
                  {0xC1, 0x03, 0x02, 0x00},
                  4,
                  "truncated TLV header: identifier needs 1 byte(s), 0 left"},
        Malformed{"WrongIdForSingleResource",
                  Path{5, 0, 3},
                  {0xC1, 0x05, 0x00},
                  0,
                  "a resource TLV for id 5 answers /5/0/3, which needs id 3"},
        Malformed{"WrongIdForMultipleResource",
                  Path{5, 0, 8},
                  {0x83, 0x07, 0x41, 0x00, 0x00},
                  0,
                  "a multiple resource TLV for id 7 answers /5/0/8, which needs id 8"},
        Malformed{"WrongIdForResourceInstance",
                  Path{5, 0, 8, 1},
                  {0x41, 0x02, 0x03},
                  0,
                  "a resource instance TLV for id 2 answers /5/0/8/1, which needs id 1"},
        Malformed{"ResourceForResourceInstance",
                  Path{5, 0, 8, 1},
                  {0xC1, 0x01, 0x03},
                  0,
                  "a resource TLV (id 1) is not allowed directly below /5/0/8"},
        Malformed{"MixedResourceInstancesAndResource",
                  Path{5, 0, 8},
                  {0x41, 0x00, 0x00, 0xC1, 0x08, 0x00},
                  3,
                  "a resource TLV (id 8) is not allowed directly below /5/0/8"},
        Malformed{"RootBase",
                  Path{},
                  {0xC1, 0x03, 0x02},
                  0,
                  "a TLV payload cannot answer a request on /"}),
    [](const testing::TestParamInfo<Malformed>& param_info) {
      return std::string(param_info.param.name);
    });

}  // namespace
}  // namespace fc::lwm2m
