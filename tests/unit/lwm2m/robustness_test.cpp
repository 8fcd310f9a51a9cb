// Random and mutated input from a fixed seed: every decoder either succeeds or throws
// CodecError pointing inside the input; nothing else escapes and nothing crashes.
#include <gtest/gtest.h>

#include <random>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/link_format.h"

namespace fc::lwm2m {
namespace {

constexpr int kRounds = 5000;

Bytes random_bytes(std::mt19937& rng, std::size_t max_size) {
  std::uniform_int_distribution<std::size_t> size(0, max_size);
  std::uniform_int_distribution<int> byte(0, 255);
  Bytes out(size(rng));
  for (auto& b : out) b = static_cast<std::uint8_t>(byte(rng));
  return out;
}

// Outcome counts, so the test also shows both branches were exercised.
struct Outcomes {
  int decoded = 0;
  int rejected = 0;
};

template <class Decode>
void expect_decodes_or_rejects(Outcomes& outcomes, std::size_t input_size, Decode decode) {
  try {
    decode();
    ++outcomes.decoded;
  } catch (const CodecError& error) {
    EXPECT_LE(error.offset(), input_size) << error.what();
    ++outcomes.rejected;
  }
}

TEST(Robustness, TlvDecoderOnRandomAndMutatedPayloads) {
  std::mt19937 rng(5683);
  const Bytes valid = {0xC1, 0x03, 0x02, 0xC1, 0x05, 0x00, 0x86, 0x08, 0x41,
                       0x00, 0x00, 0x41, 0x01, 0x03, 0xC1, 0x09, 0x02};
  const std::vector<Path> bases = {Path{5}, Path{5, 0}, Path{5, 0, 3}, Path{5, 0, 8},
                                   Path{5, 0, 8, 1}};
  Outcomes outcomes;
  for (int round = 0; round < kRounds; ++round) {
    auto payload = random_bytes(rng, 24);
    if (round % 5 == 1 && payload.size() >= 3)
      payload[0] = 0xE0, payload[1] = 0xFF, payload[2] = 0xFF;
    if (round % 2 == 0) {  // flip one byte of a valid payload
      payload = valid;
      payload[static_cast<std::size_t>(rng()) % payload.size()] ^=
          static_cast<std::uint8_t>(1u << (rng() % 8));
    }
    for (const auto& base : bases) {
      expect_decodes_or_rejects(outcomes, payload.size(), [&] { decode_tlv(base, payload); });
    }
  }
  EXPECT_GT(outcomes.decoded, 0);
  EXPECT_GT(outcomes.rejected, 0);
}

TEST(Robustness, LinkFormatOnRandomText) {
  std::mt19937 rng(6690);
  const std::string alphabet = "</>;=\",0159 abrtvc.\\";
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  Outcomes outcomes;
  for (int round = 0; round < kRounds; ++round) {
    std::string text(rng() % 20, ' ');
    for (auto& c : text) c = alphabet[pick(rng)];
    if (round % 2 == 0) {  // replace one character of a valid payload
      text = R"(</>;rt="oma.lwm2m";ct="60 110",</1/0>,</5>;ver=1.1)";
      text[rng() % text.size()] = alphabet[pick(rng)];
    }
    expect_decodes_or_rejects(outcomes, text.size(), [&] { parse_registered_objects(text); });
  }
  EXPECT_GT(outcomes.decoded, 0);
  EXPECT_GT(outcomes.rejected, 0);
}

TEST(Robustness, TextDecoderOnRandomBytes) {
  std::mt19937 rng(7);
  Outcomes outcomes;
  for (int round = 0; round < kRounds; ++round) {
    const auto payload = random_bytes(rng, 8);
    expect_decodes_or_rejects(outcomes, payload.size(), [&] {
      decode_text(Path{5, 0, 1}, payload);
    });
  }
  EXPECT_GT(outcomes.decoded, 0);
  EXPECT_GT(outcomes.rejected, 0);
}

}  // namespace
}  // namespace fc::lwm2m
