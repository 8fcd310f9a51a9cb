// What the impairment relay does with each datagram (forward, drop, hold back), decided from
// the wire impairments alone, so it can be tested with synthetic datagrams and a given clock.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"
#include "suite/repository/coap_wire.h"
#include "suite/repository/impairment.h"

namespace fc::repository {

enum class Leg { ToRepository, ToClient };

struct RelayDecision {
  bool forward = true;
  Duration delay{0};
  // Sent back to where the datagram came from instead (ack-then-silence: an empty ACK).
  std::optional<Bytes> answer;
  std::vector<std::string> notes;  // for the trace, each led by the impairment's text form
};

struct RelayCounts {
  std::size_t to_repository = 0;  // datagrams forwarded
  std::size_t to_client = 0;
  std::size_t dropped_to_repository = 0;
  std::size_t dropped_to_client = 0;
};

class RelayPolicy {
 public:
  // Keeps the impairments that act on the CoAP wire (drop-after, stall, loss, delay,
  // ack-then-silence).
  explicit RelayPolicy(const std::vector<Impairment>& impairments);
  // Lifts one pace: the first `delay` impairment equal to `pace` still in force holds no datagram
  // decided from now on; the other delays (a profile's link latency) stay. For a transfer slowed
  // only until something falls inside it. Returns the note for the trace, nullopt when no such
  // delay is in force.
  std::optional<std::string> release_pace(const Impairment& pace);

  // `client` tells clients apart (their address), so tokens are matched per client.
  RelayDecision decide(Leg leg, const std::string& client, ByteView datagram, Clock::time_point now);
  // Ends every stall now, before its `for=` duration: one under way lets the next datagram
  // through (the link is back), one not reached yet never begins. Its duration stays the bound
  // for a stall nobody releases. Returns the notes for the trace (empty when no stall was silent).
  std::vector<std::string> release_stalls();
  const RelayCounts& counts() const { return counts_; }
  const std::vector<Impairment>& impairments() const { return impairments_; }

 private:
  struct Stall {
    bool triggered = false;
    bool over = false;
    Clock::time_point until;
    std::size_t dropped = 0;
  };
  struct Block {
    std::uint64_t num = 0;
    std::uint64_t offset = 0;
    std::size_t length = 0;
  };
  std::vector<Impairment> impairments_;
  std::vector<Stall> stalls_;            // one per impairment, used by Stall ones
  std::vector<std::mt19937> generators_;  // one per impairment, used by Loss ones
  std::map<std::pair<std::string, Bytes>, coap::BlockOption> requested_;  // Block2 asked, by client and token
  RelayCounts counts_;
  bool delay_noted_ = false;
  std::vector<bool> pace_released_;  // one per impairment, set by release_pace on Delay ones
  std::map<Leg, Clock::time_point> link_free_;  // Bandwidth: when each leg has sent its queue

  // The block a response carries: its Block2, else the Block2 its request asked for, else 0.
  Block block_of(const std::string& client, const WireMessage& response);
  static std::string what(Leg leg, const std::optional<WireMessage>& message, const Block& block);
};

}  // namespace fc::repository
