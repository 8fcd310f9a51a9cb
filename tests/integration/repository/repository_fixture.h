// What every repository integration test stands on: one event loop and trace, the repository
// on loopback ephemeral ports, a Block2 downloader, package bytes, and trace searches.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "suite/repository/coap_fetcher.h"
#include "suite/repository/firmware_repository.h"

namespace fc::repository::testing {

inline Bytes pattern(std::size_t n, std::uint8_t salt = 0) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>((i * 31 + salt) ^ (i >> 8));
  return out;
}

inline Bytes slice(const Bytes& b, std::size_t from, std::size_t n = std::string::npos) {
  auto end = std::min(b.size(), n == std::string::npos ? b.size() : from + n);
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from), b.begin() + static_cast<std::ptrdiff_t>(end));
}

inline Bytes inverted(Bytes b) {
  for (auto& x : b) x = static_cast<std::uint8_t>(~x);
  return b;
}

class RepositoryTest : public ::testing::Test {
 protected:
  static RepositoryConfig config() { return RepositoryConfig{}; }

  coap::EventLoop loop;
  coap::Trace trace;
  FirmwareRepository repository{loop, trace, config()};
  CoapFetcher fetcher{loop, trace};

  // Gives up on a block after 800 ms, before CoAP's first retransmission (libcoap's ACK_TIMEOUT
  // is 1 s at least), so a dead link shows at once and each request is sent exactly once.
  static FetchOptions impatient() {
    FetchOptions o;
    o.ack_timeout_s = 1.0;
    o.ack_random_factor = 1.0;
    o.block_timeout = Duration(800);
    o.budget = Duration(5000);
    return o;
  }
  // Retransmits after exactly 1 s, 2 s, 4 s, ...: rides out a stall or losses.
  static FetchOptions persistent() {
    FetchOptions o;
    o.ack_timeout_s = 1.0;
    o.ack_random_factor = 1.0;
    o.max_retransmit = 4;
    o.budget = Duration(20'000);
    return o;
  }

  // Trace notes containing `fragment`, on any channel.
  std::size_t notes_with(const std::string& fragment) const {
    auto entries = trace.entries();
    return static_cast<std::size_t>(std::count_if(entries.begin(), entries.end(), [&](const coap::TraceEntry& e) {
      return e.note.find(fragment) != std::string::npos;
    }));
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << "trace:\n" << trace.render(0, 120);
  }
};

}  // namespace fc::repository::testing
