#include "suite/repository/relay_policy.h"

#include <fmt/format.h>

namespace fc::repository {

namespace {

// Requests whose responses never come (dropped, abandoned) would pile up: forget them at this size.
constexpr std::size_t kRememberedRequests = 4096;

bool block_reaches(const Position& at, std::uint64_t num, std::uint64_t offset, std::size_t length) {
  return at.unit == Position::Unit::Block ? num >= at.value : offset + length > at.value;
}

bool block_past(const Position& at, std::uint64_t num, std::uint64_t offset, std::size_t length) {
  return at.unit == Position::Unit::Block ? num > at.value : offset + length > at.value;
}

// A uniform draw in [0, 1) from the generator's raw output: the same on every standard library,
// unlike std::uniform_real_distribution.
double draw(std::mt19937& generator) { return static_cast<double>(generator() >> 8) / 16777216.0; }

// An empty ACK (RFC 7252 §4.2, §5.2.2): "your request arrived, the response comes separately".
Bytes empty_ack(std::uint16_t message_id) {
  return Bytes{0x60, 0x00, static_cast<std::uint8_t>(message_id >> 8), static_cast<std::uint8_t>(message_id & 0xff)};
}

}  // namespace

RelayPolicy::RelayPolicy(const std::vector<Impairment>& impairments) {
  for (const auto& imp : impairments)
    if (imp.on_wire() && imp.applies_to(Transport::Coap)) impairments_.push_back(imp);
  stalls_.resize(impairments_.size());
  pace_released_.resize(impairments_.size());
  for (const auto& imp : impairments_) generators_.emplace_back(imp.seed);
}

RelayPolicy::Block RelayPolicy::block_of(const std::string& client, const WireMessage& response) {
  auto key = std::make_pair(client, response.token);
  auto asked = requested_.find(key);
  std::optional<coap::BlockOption> option = response.block2;
  if (!option && asked != requested_.end()) option = asked->second;
  if (asked != requested_.end()) requested_.erase(asked);
  if (!option) return Block{0, 0, response.payload_size};
  return Block{option->num, option->offset(), response.payload_size};
}

std::string RelayPolicy::what(Leg leg, const std::optional<WireMessage>& message, const Block& block) {
  if (!message) return "a datagram that is not CoAP";
  if (leg == Leg::ToClient && message->is_response())
    return fmt::format("response to block {} ({})", block.num, message->summary());
  if (message->is_request()) return fmt::format("request ({})", message->summary());
  return fmt::format("{} ({})", leg == Leg::ToClient ? "message to the client" : "message to the repository",
                     message->summary());
}

std::vector<std::string> RelayPolicy::release_stalls() {
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < impairments_.size(); ++i) {
    if (impairments_[i].kind != ImpairmentKind::Stall) continue;
    auto& s = stalls_[i];
    if (s.triggered && !s.over)
      notes.push_back(fmt::format("{}: link back (released), {} datagrams dropped while silent",
                                  impairments_[i].describe(), s.dropped));
    s.triggered = true;
    s.over = true;
  }
  return notes;
}

RelayDecision RelayPolicy::decide(Leg leg, const std::string& client, ByteView datagram, Clock::time_point now) {
  RelayDecision d;
  auto message = parse_wire(datagram);
  Block block;
  bool response = leg == Leg::ToClient && message && message->is_response();
  if (leg == Leg::ToRepository && message && message->is_request() && message->block2) {
    if (requested_.size() >= kRememberedRequests) requested_.clear();
    requested_[std::make_pair(client, message->token)] = *message->block2;
  }
  if (response) block = block_of(client, *message);

  auto drop = [&](const Impairment& imp, const std::string& verb) {
    if (d.forward) d.notes.push_back(fmt::format("{}: {} {}", imp.describe(), verb, what(leg, message, block)));
    d.forward = false;
  };

  for (std::size_t i = 0; i < impairments_.size(); ++i) {
    const auto& imp = impairments_[i];
    switch (imp.kind) {
      case ImpairmentKind::Stall: {
        auto& s = stalls_[i];
        if (s.triggered && !s.over) {
          if (now < s.until) {
            ++s.dropped;
            drop(imp, "link silent, dropped");
          } else {
            s.over = true;
            d.notes.push_back(fmt::format("{}: link back, {} datagrams dropped while silent", imp.describe(), s.dropped));
          }
        } else if (!s.triggered && response && block_reaches(imp.at, block.num, block.offset, block.length)) {
          s.triggered = true;
          s.until = now + imp.duration;
          s.dropped = 1;
          drop(imp, "link silent from here, dropped");
        }
        break;
      }
      case ImpairmentKind::DropAfter:
        if (response && block_past(imp.at, block.num, block.offset, block.length)) drop(imp, "dropped");
        break;
      case ImpairmentKind::Loss:
        if (d.forward && draw(generators_[i]) < imp.rate) drop(imp, "lost");
        break;
      case ImpairmentKind::AckThenSilence: {
        // The request is acknowledged and swallowed: the separate response never comes.
        if (leg != Leg::ToRepository || !message || !message->is_request()) break;
        const auto asked = message->block2.value_or(coap::BlockOption{0, false, 6});
        if (!block_reaches(imp.at, asked.num, asked.offset(), asked.size())) break;
        if (message->type == coap::MessageType::Con) d.answer = empty_ack(message->message_id);
        drop(imp, d.answer ? "acknowledged (empty ACK) and swallowed" : "swallowed");
        break;
      }
      case ImpairmentKind::Delay:
        if (pace_released_[i]) break;
        d.delay += imp.duration;
        if (!delay_noted_) {
          delay_noted_ = true;
          d.notes.push_back(fmt::format("{}: every datagram held back {} ms each way", imp.describe(),
                                        imp.duration.count()));
        }
        break;
      case ImpairmentKind::Bandwidth: {
        // The datagram waits for the ones before it on this leg, then takes its own size's time.
        auto& free = link_free_[leg];
        auto start = std::max(free, now);
        auto bits = static_cast<double>(datagram.size()) * 8.0;
        free = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(bits / static_cast<double>(imp.bytes)));
        d.delay += std::chrono::ceil<Duration>(free - now);
        break;
      }
      default: break;
    }
  }
  if (!d.forward) d.delay = Duration(0);
  auto& forwarded = leg == Leg::ToClient ? counts_.to_client : counts_.to_repository;
  auto& dropped = leg == Leg::ToClient ? counts_.dropped_to_client : counts_.dropped_to_repository;
  ++(d.forward ? forwarded : dropped);
  return d;
}

std::optional<std::string> RelayPolicy::release_pace(const Impairment& pace) {
  for (std::size_t i = 0; i < impairments_.size(); ++i) {
    if (impairments_[i].kind != ImpairmentKind::Delay || !(impairments_[i] == pace) || pace_released_[i]) continue;
    pace_released_[i] = true;
    return fmt::format("{}: pace released, the datagrams from here pass without it", pace.describe());
  }
  return std::nullopt;
}

}  // namespace fc::repository
