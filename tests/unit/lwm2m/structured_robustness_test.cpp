// Mutated SenML, LwM2M CBOR and LwM2M JSON payloads from a fixed seed: every decoder either
// decodes or throws CodecError inside the input, and whatever it decodes encodes again.
#include <gtest/gtest.h>

#include <array>
#include <random>

#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

constexpr int kRounds = 3000;

const Records kObject = {{Path{5, 0, 3}, Value(2)},
                         {Path{5, 0, 8, 0}, Value(0)},
                         {Path{5, 0, 1}, Value("coap://[::1]/fw")},
                         {Path{5, 0, 0}, Value(Bytes{0, 0xFF})},
                         {Path{5, 0, 9}, Value(-1.5)},
                         {Path{5, 0, 7}, Value(true)},
                         {Path{5, 0, 10}, Value(ObjLink{3, 0})}};

Bytes mutate(std::mt19937& rng, Bytes payload) {
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  switch (rng() % 4) {
    case 0:  // flip a bit
      payload[pick(payload.size())] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      break;
    case 1:  // cut the end
      payload.resize(pick(payload.size()));
      break;
    case 2:  // set a byte to something CBOR and JSON both care about
      payload[pick(payload.size())] =
          std::array<std::uint8_t, 8>{0x00, 0x1F, 0x5B, 0x7B, 0x9F, 0xBF, 0xFF, 0x22}[rng() % 8];
      break;
    default:  // duplicate a slice
    {
      const auto from = pick(payload.size());
      const auto length = pick(payload.size() - from) + 1;
      const Bytes slice(payload.begin() + static_cast<std::ptrdiff_t>(from),
                        payload.begin() + static_cast<std::ptrdiff_t>(from + length));
      payload.insert(payload.begin() + static_cast<std::ptrdiff_t>(pick(payload.size())),
                     slice.begin(), slice.end());
    }
  }
  return payload;
}

class StructuredRobustness : public testing::TestWithParam<ContentFormat> {};

TEST_P(StructuredRobustness, DecodesOrRejectsMutatedPayloads) {
  const auto format = GetParam();
  std::mt19937 rng(static_cast<unsigned>(format));
  const std::vector<Path> bases = {Path{}, Path{5}, Path{5, 0}, Path{5, 0, 3}};
  const auto valid = encode(format, Path{5}, kObject);
  int decoded = 0;
  int rejected = 0;
  for (int round = 0; round < kRounds; ++round) {
    const auto payload = mutate(rng, valid);
    for (const auto& base : bases) {
      Records records;
      try {
        records = decode(format, base, payload);
        ++decoded;
      } catch (const CodecError& error) {
        EXPECT_EQ(error.format(), format);
        EXPECT_LE(error.offset(), payload.size()) << error.what();
        ++rejected;
        continue;
      }
      // What decoded must survive an encode/decode trip, unless it cannot be written at all
      // (a NaN in JSON, a record without value in LwM2M JSON): that is a CodecError too.
      try {
        const auto again = encode(format, base, records);
        EXPECT_EQ(encode(format, base, decode(format, base, again)), again) << to_hex(payload);
      } catch (const CodecError& error) {
        EXPECT_EQ(error.format(), format);
      }
    }
  }
  EXPECT_GT(decoded, 0);
  EXPECT_GT(rejected, 0);
}

INSTANTIATE_TEST_SUITE_P(Formats, StructuredRobustness,
                         testing::Values(ContentFormat::SenmlJson, ContentFormat::SenmlCbor,
                                         ContentFormat::LwM2mJson, ContentFormat::LwM2mCbor),
                         [](const testing::TestParamInfo<ContentFormat>& param) {
                           // "senml-json" -> "senml_json": gtest names allow no '-'.
                           auto name = std::string(short_name(param.param));
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace fc::lwm2m
