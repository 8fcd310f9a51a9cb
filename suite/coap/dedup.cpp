#include "suite/coap/dedup.h"

namespace fc::coap {

void RecentExchanges::drop_expired(Clock::time_point now) {
  while (!order_.empty() && now - order_.front().second >= limits_.exchange_lifetime) {
    auto it = entries_.find(order_.front().first);
    // A key re-remembered later has a newer entry: only the entry this record made goes.
    if (it != entries_.end() && it->second.received == order_.front().second) entries_.erase(it);
    order_.pop_front();
  }
}

const Reply* RecentExchanges::find(const std::string& local, const std::string& peer, std::uint16_t message_id,
                                   bool confirmable, Clock::time_point now) {
  drop_expired(now);
  auto it = entries_.find(Key{local, peer, message_id});
  if (it == entries_.end()) return nullptr;
  auto lifetime = confirmable ? limits_.exchange_lifetime : limits_.non_lifetime;
  if (now - it->second.received >= lifetime) return nullptr;
  return &it->second.reply;
}

void RecentExchanges::remember(const std::string& local, const std::string& peer, std::uint16_t message_id,
                               Reply reply, Clock::time_point now) {
  drop_expired(now);
  Key key{local, peer, message_id};
  entries_.insert_or_assign(key, Entry{std::move(reply), now});
  order_.emplace_back(std::move(key), now);
  while (order_.size() > limits_.capacity) {
    auto it = entries_.find(order_.front().first);
    if (it != entries_.end() && it->second.received == order_.front().second) entries_.erase(it);
    order_.pop_front();
  }
}

}  // namespace fc::coap
