// Package sizes a transfer must carry whatever their shape (RFC 7959 §2.2, §2.3; TS Core E.6.2):
// one block exactly, an exact multiple of every block size (a full last block, whose end only
// the M bit tells), one byte more (a last block of one byte) and a large image. Each row of the
// table is a case with its own id, pull and push; the profile's package (32,850 B for the
// refclient) has a short last block at every size, so without these a full one is never sent.
#include <fmt/format.h>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

// The package lengths of the table, whole packages as transferred (header, image, signature).
constexpr std::size_t kOneBlock = 1024;              // one Block1/Block2 of SZX 6, full
constexpr std::size_t kExactMultiple = 4096;         // 256 × 16 … 4 × 1024: full last block at every SZX
constexpr std::size_t kOneByteMore = 4096 + 1;       // a last block of one byte at every SZX
constexpr std::size_t kLarge = std::size_t{1} << 20; // 1 MiB: 1024 blocks of 1024

class TransferSizes : public FotaCase {
 protected:
  // The profile's package at exactly `bytes` bytes; nullopt (the case ended as not-tested) when
  // the profile's packages are a vendor's file or the device declares it holds less.
  std::optional<Bytes> sized_package(std::size_t bytes) {
    if (!packages().sizes_packages()) {
      not_tested("the profile's package is a vendor file (packages.files.valid): its size cannot be chosen");
      return std::nullopt;
    }
    const auto& limit = profile().capabilities.max_package_size;
    if (limit && *limit < bytes) {
      not_tested(fmt::format("the device declares it holds at most {} bytes (capabilities.max_package_size); this "
                             "row is {} bytes",
                             *limit, bytes));
      return std::nullopt;
    }
    auto image = packages().build(forge::with_package_size(package_spec(), bytes));
    measure("package size", fmt::format("{} bytes", image.size()));
    return image;
  }

  // Push in `block_size`-byte blocks: 2.04 on the last block (RFC 7959 §2.3: M=0 is the end,
  // whatever its length), then State 2 with Result 0.
  void push_reaches_downloaded(std::size_t bytes, std::size_t block_size) {
    auto image = sized_package(bytes);
    if (!image) return;
    expect_code(push(*image, block_size), {code::Changed},
                fmt::format("(a {}-byte package in {}-byte blocks, the last {} bytes)", bytes, block_size,
                            bytes % block_size == 0 ? block_size : bytes % block_size));
    await_state(State::Downloaded);
    expect_result(UpdateResult::Initial);
  }

  // Pull over `scheme`, served in blocks of at most `block_size` (CoAP; the repository's
  // max-block, RFC 7959 §2.4): State 2 with Result 0, the package served once to its last byte.
  void pull_reaches_downloaded(std::size_t bytes, Scheme scheme, std::size_t block_size = 1024) {
    auto image = sized_package(bytes);
    if (!image) return;
    std::string impairments;
    if (scheme == Scheme::Coap && block_size < 1024) impairments = fmt::format("max-block:{}", block_size);
    const auto uri = publish(*image, scheme, impairments);
    if (!expect_code(pull(uri), {code::Changed})) return;
    await_state(State::Downloaded);
    expect_result(UpdateResult::Initial);
    const auto completed = counters_of(uri).completed;
    expect_that(completed == 1, fmt::format("Pull of a {}-byte package", bytes), "the package served to its last byte once",
                fmt::format("served to the end {} times", completed));
  }
};

#define FOTA_PUSH_EXACT(block)                                                                                        \
  FOTA_CASE(TransferSizes, PushExactMultipleIn##block##ByteBlocks,                                                   \
            id("FU-XFER-PUSH-EXACT-" #block), level(Level::Must), needs(Capability::Push),                          \
            clause("RFC 7959 2.2, 2.3 (M=0 ends the transfer; a full last block); TS Core E.6.2"),                \
            requirement("A 4096-byte package (an exact multiple) pushed in " #block "-byte blocks: 2.04 on its full " \
                        "last block, then State 2 with Result 0")) {                                                  \
    push_reaches_downloaded(kExactMultiple, block);                                                                   \
  }
FOTA_PUSH_EXACT(16)
FOTA_PUSH_EXACT(32)
FOTA_PUSH_EXACT(64)
FOTA_PUSH_EXACT(128)
FOTA_PUSH_EXACT(256)
FOTA_PUSH_EXACT(512)
FOTA_PUSH_EXACT(1024)
#undef FOTA_PUSH_EXACT

#define FOTA_PULL_EXACT(block)                                                                                       \
  FOTA_CASE(TransferSizes, PullExactMultipleIn##block##ByteBlocks,                                                  \
            id("FU-XFER-PULL-EXACT-" #block), level(Level::Must), needs(Capability::PullCoap),                     \
            clause("RFC 7959 2.2, 2.3, 2.4 (M=0 ends the transfer; a full last block); TS Core E.6.2"),          \
            requirement("A 4096-byte package (an exact multiple) served in " #block "-byte blocks: State 2 with "   \
                        "Result 0, served once to its last byte")) {                                                 \
    pull_reaches_downloaded(kExactMultiple, Scheme::Coap, block);                                                    \
  }
FOTA_PULL_EXACT(16)
FOTA_PULL_EXACT(32)
FOTA_PULL_EXACT(64)
FOTA_PULL_EXACT(128)
FOTA_PULL_EXACT(256)
FOTA_PULL_EXACT(512)
FOTA_PULL_EXACT(1024)
#undef FOTA_PULL_EXACT

FOTA_CASE(TransferSizes, PushOfOneBlock,
          id("FU-XFER-PUSH-ONE-BLOCK"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.3 (a single block, M=0); TS Core E.6.2; reference 3.1 T3"),
          requirement("A 1024-byte package pushed in 1024-byte blocks (one block) is taken: 2.04, State 2, Result 0")) {
  push_reaches_downloaded(kOneBlock, 1024);
}

FOTA_CASE(TransferSizes, PushOfOneByteMore,
          id("FU-XFER-PUSH-PLUS1"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.3 (a last block of one byte); TS Core E.6.2"),
          requirement("A 4097-byte package pushed in 1024-byte blocks (a last block of one byte): 2.04, State 2, "
                      "Result 0")) {
  push_reaches_downloaded(kOneByteMore, 1024);
}

FOTA_CASE(TransferSizes, PushOfALargeImage,
          id("FU-XFER-PUSH-1MIB"), level(Level::Must), needs(Capability::Push),
          clause("RFC 7959 2.3; TS Core E.6.2"),
          requirement("A 1 MiB package pushed in 1024-byte blocks: 2.04, State 2, Result 0")) {
  push_reaches_downloaded(kLarge, 1024);
}

FOTA_CASE(TransferSizes, PullOfOneBlock,
          id("FU-XFER-PULL-ONE-BLOCK"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.3 (a single Block2, M=0); TS Core E.6.2"),
          requirement("A 1024-byte package (one block) pulled over CoAP: State 2 with Result 0, served once")) {
  pull_reaches_downloaded(kOneBlock, Scheme::Coap);
}

FOTA_CASE(TransferSizes, PullOfOneByteMore,
          id("FU-XFER-PULL-PLUS1"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.3 (a last block of one byte); TS Core E.6.2"),
          requirement("A 4097-byte package pulled over CoAP (a last block of one byte): State 2 with Result 0, served "
                      "once")) {
  pull_reaches_downloaded(kOneByteMore, Scheme::Coap);
}

FOTA_CASE(TransferSizes, PullOfALargeImageOverCoap,
          id("FU-XFER-PULL-1MIB-COAP"), level(Level::Must), needs(Capability::PullCoap),
          clause("RFC 7959 2.3; TS Core E.6.2"),
          requirement("A 1 MiB package pulled over CoAP: State 2 with Result 0, served once")) {
  pull_reaches_downloaded(kLarge, Scheme::Coap);
}

FOTA_CASE(TransferSizes, PullOfALargeImageOverHttp,
          id("FU-XFER-PULL-1MIB-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.2 (HTTP pull); RFC 9110"),
          requirement("A 1 MiB package pulled over HTTP: State 2 with Result 0, served once")) {
  pull_reaches_downloaded(kLarge, Scheme::Http);
}

FOTA_CASE(TransferSizes, PullOfAnExactMultipleOverHttp,
          id("FU-XFER-PULL-EXACT-HTTP"), level(Level::Must), needs(Capability::PullHttp),
          clause("TS Core E.6.2 (HTTP pull); RFC 9110"),
          requirement("A 4096-byte package pulled over HTTP: State 2 with Result 0, served once")) {
  pull_reaches_downloaded(kExactMultiple, Scheme::Http);
}

}  // namespace
}  // namespace fc::fixtures
