#include "refclient/client/notification_scheduler.h"

#include <chrono>
#include <variant>

namespace fc::refclient {
namespace {

constexpr std::size_t kMaxQueued = 256;

Clock::duration seconds(std::uint32_t s) { return std::chrono::seconds(s); }

}  // namespace

std::optional<double> numeric_value(const lwm2m::Records& records) {
  if (records.size() != 1) return std::nullopt;
  const auto& storage = records.front().value.storage();
  if (const auto* i = std::get_if<std::int64_t>(&storage)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&storage)) return static_cast<double>(*u);
  if (const auto* d = std::get_if<double>(&storage)) return *d;
  return std::nullopt;
}

NotificationScheduler::NotificationScheduler(Clock::duration in_flight_limit, Clock::duration merge_window)
    : in_flight_limit_(in_flight_limit), merge_window_(merge_window) {}

void NotificationScheduler::observed(const lwm2m::Path& path, const Bytes& token, Clock::time_point now,
                                     const std::optional<lwm2m::Records>& value) {
  auto& observation = observations_[path];
  observation.tokens.insert(token);
  observation.queue.clear();
  observation.last_sent = now;
  observation.last_value = value ? numeric_value(*value) : std::nullopt;
  if (in_flight_ == path) in_flight_.reset();
}

void NotificationScheduler::cancelled(const Bytes& token) {
  for (auto it = observations_.begin(); it != observations_.end(); ++it) {
    if (it->second.tokens.erase(token) == 0) continue;
    if (it->second.tokens.empty()) drop(it->first);
    return;
  }
}

void NotificationScheduler::clear() {
  observations_.clear();
  in_flight_.reset();
}

void NotificationScheduler::drop(const lwm2m::Path& path) {
  if (in_flight_ == path) in_flight_.reset();
  observations_.erase(path);
}

void NotificationScheduler::not_observed(const lwm2m::Path& path) { drop(path); }

bool NotificationScheduler::is_observed(const lwm2m::Path& path) const { return observations_.contains(path); }

std::vector<lwm2m::Path> NotificationScheduler::observed_paths() const {
  std::vector<lwm2m::Path> paths;
  for (const auto& [path, observation] : observations_) paths.push_back(path);
  return paths;
}

void NotificationScheduler::changed(const lwm2m::Path& path, lwm2m::Records snapshot,
                                    const NotificationAttributes& attributes, Clock::time_point now) {
  const auto found = observations_.find(path);
  if (found == observations_.end()) return;
  auto& observation = found->second;

  const auto value = numeric_value(snapshot);
  if (value) {
    if (!passes_change_conditions(attributes, observation.last_value, *value)) return;
    observation.last_value = value;
  }

  // The entry at the front may be in flight; only later entries can still be merged.
  const bool front_in_flight = in_flight_ == path && !observation.queue.empty();
  const std::size_t mergeable = observation.queue.size() - (front_in_flight ? 1 : 0);
  const bool merge = (attributes.pmin.value_or(0) > 0 || merge_window_ > Clock::duration::zero()) && mergeable > 0;
  if (merge) {
    observation.queue.back().snapshot = std::move(snapshot);
    return;
  }
  if (observation.queue.size() >= kMaxQueued) observation.queue.erase(observation.queue.begin() + (front_in_flight ? 1 : 0));
  observation.queue.push_back(Entry{next_sequence_++, std::move(snapshot), now});
}

std::optional<lwm2m::Path> NotificationScheduler::release(Clock::time_point now, const AttributeLookup& attributes) {
  if (in_flight_) return std::nullopt;

  const lwm2m::Path* best = nullptr;
  std::uint64_t best_sequence = 0;
  for (auto& [path, observation] : observations_) {
    const auto attrs = attributes(path);
    const auto pmin = attrs.pmin.value_or(0);
    const auto pmax = attrs.pmax.value_or(0);
    if (observation.queue.empty() && pmax > 0 && pmax >= pmin && now - observation.last_sent >= seconds(pmax)) {
      observation.queue.push_back(Entry{next_sequence_++, std::nullopt, now});
    }
    if (observation.queue.empty() || now - observation.last_sent < seconds(pmin)) continue;
    const auto& front = observation.queue.front();
    const bool merging = merge_window_ > Clock::duration::zero() && front.snapshot && now - front.queued_at < merge_window_;
    if (merging) continue;  // later changes may still replace its value
    if (!best || observation.queue.front().sequence < best_sequence) {
      best = &path;
      best_sequence = observation.queue.front().sequence;
    }
  }
  if (!best) return std::nullopt;
  in_flight_ = *best;
  released_at_ = now;
  served_ = false;
  return in_flight_;
}

const lwm2m::Records* NotificationScheduler::payload_for(const lwm2m::Path& path) {
  if (in_flight_ != path) return nullptr;
  auto& queue = observations_.at(path).queue;
  if (queue.empty()) return nullptr;
  served_ = true;
  const auto& snapshot = queue.front().snapshot;
  return snapshot ? &*snapshot : nullptr;
}

void NotificationScheduler::after_io(Clock::time_point now) {
  if (!in_flight_) return;
  const auto path = *in_flight_;
  if (served_) {
    auto& observation = observations_.at(path);
    if (!observation.queue.empty()) observation.queue.pop_front();
    observation.last_sent = now;
    in_flight_.reset();
    served_ = false;
    return;
  }
  if (now - released_at_ > in_flight_limit_) drop(path);
}

bool NotificationScheduler::idle() const {
  if (in_flight_) return false;
  for (const auto& [path, observation] : observations_) {
    if (!observation.queue.empty()) return false;
  }
  return true;
}

std::size_t NotificationScheduler::queued(const lwm2m::Path& path) const {
  const auto found = observations_.find(path);
  return found == observations_.end() ? 0 : found->second.queue.size();
}

}  // namespace fc::refclient
