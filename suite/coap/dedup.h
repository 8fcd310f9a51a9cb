// Recently answered requests per (endpoint, peer, Message ID), so that a duplicate (RFC 7252
// §4.5) is answered from memory instead of being processed a second time. Bounded in age and count.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <tuple>

#include "suite/coap/context.h"
#include "suite/common/clock.h"

namespace fc::coap {

class RecentExchanges {
 public:
  struct Limits {
    Clock::duration exchange_lifetime = std::chrono::seconds(247);  // RFC 7252 §4.8.2, CON
    Clock::duration non_lifetime = std::chrono::seconds(145);       // RFC 7252 §4.8.2, NON
    std::size_t capacity = 4096;  // oldest dropped first: a flood cannot grow memory without bound
  };
  RecentExchanges() = default;
  explicit RecentExchanges(Limits limits) : limits_(limits) {}

  // The reply remembered for an earlier request with this key, still within its lifetime
  // (EXCHANGE_LIFETIME for a CON, NON_LIFETIME for a NON); nullptr for a new request.
  const Reply* find(const std::string& local, const std::string& peer, std::uint16_t message_id,
                    bool confirmable, Clock::time_point now);
  void remember(const std::string& local, const std::string& peer, std::uint16_t message_id, Reply reply,
                Clock::time_point now);
  std::size_t size() const { return entries_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, std::uint16_t>;
  struct Entry {
    Reply reply;
    Clock::time_point received;
  };
  Limits limits_;
  std::map<Key, Entry> entries_;
  std::deque<std::pair<Key, Clock::time_point>> order_;  // insertion order, for expiry and the cap

  void drop_expired(Clock::time_point now);
};

}  // namespace fc::coap
