// The per-case message trace: every CoAP (and HTTP) message the suite sent or received.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/message.h"
#include "suite/common/clock.h"

namespace fc::coap {

enum class Direction { Sent, Received };

struct TraceEntry {
  Clock::time_point time;
  Direction direction = Direction::Sent;
  std::string channel;   // "lwm2m", "repository-coap", "repository-http", ...
  std::string peer;      // "127.0.0.1:40123"
  std::string local;     // our side, when known
  Message message;       // for HTTP: code/path/payload size filled in best effort
  std::string note;      // e.g. "impairment: dropped (after block 3)"
  // The payload's size as sent when the trace kept only its first message.payload.size() bytes;
  // 0 when the payload is whole. A number, not note text: every block of a transfer is cut.
  std::size_t cut_payload_size = 0;
};

// A note (Trace::note): no peer and no code.
bool is_trace_note(const TraceEntry& entry);
// The payload's size as sent, also when the trace kept only the first bytes of it.
std::size_t payload_size(const TraceEntry& entry);
// The note as reports show it: a cut payload reads "payload 1024B, first 256B kept" after it.
std::string shown_note(const TraceEntry& entry);
// The inverse, for an entry read back from a report: `note` as shown_note wrote it.
void read_shown_note(TraceEntry& entry, std::string note);
// 2 for Block2, 1 for Block1, 0 when the entry is not part of a block exchange a report may fold
// or summarise: notes, RSTs, error responses and messages with a note of their own (a fault, a
// drop) always stand alone.
int block_exchange_option(const TraceEntry& entry);

// Thread-safe: the HTTP repository records from its own thread. Entries keep payloads only up
// to `payload_limit` bytes (the size is still in summary()), so long transfers stay small.
class Trace {
 public:
  explicit Trace(std::size_t payload_limit = 256) : payload_limit_(payload_limit) {}

  void record(Direction direction, std::string channel, std::string peer, std::string local,
              Message message, std::string note = {});
  // The same for a message that came at `time`, when the trace's next position was `position`
  // (a mark()), recorded only now: a request is recorded once its handler is done with it, so
  // the trace takes the message itself rather than a copy, and it still comes before whatever
  // the handler recorded.
  void record_at(std::size_t position, Clock::time_point time, Direction direction, std::string channel,
                 std::string peer, std::string local, Message message);
  void note(std::string channel, std::string text);

  // A copy of every entry from `from` on (use mark() to take a case's slice); entries
  // released are gone, so `from` before the first kept entry starts there.
  std::vector<TraceEntry> entries(std::size_t from = 0) const;
  // The position the next entry will take; positions stay valid across release_before().
  std::size_t mark() const;
  // Drops every entry before `mark` (a finished case's slice, already in its record), so a
  // long run's memory does not grow with every message it ever exchanged.
  void release_before(std::size_t mark);
  // entries(from) moved out rather than copied, and every entry released: how a finished
  // case takes its messages (a 1 MiB push in 16-byte blocks is 131072 of them).
  std::vector<TraceEntry> take(std::size_t from);
  Clock::time_point origin() const { return origin_; }
  // Human-readable lines: "+12.3ms → lwm2m 127.0.0.1:5683 CON GET ... " for failure output.
  std::string render(std::size_t from = 0, std::size_t max_lines = 200) const;

 private:
  std::size_t payload_limit_;
  Clock::time_point origin_ = Clock::now();
  mutable std::mutex mutex_;
  // The kept entries in order, in chunks whose capacity is fixed when they are made: growing
  // never moves an entry (a 1 MiB transfer is 2048 of them, each recorded while it happens).
  std::vector<std::vector<TraceEntry>> chunks_;
  std::size_t kept_ = 0;      // entries in chunks_
  std::size_t released_ = 0;  // entries dropped before the first kept one: mark() counts them

  // Keeps the first payload_limit_ bytes of a longer payload and its size in cut_payload_size.
  void cut_payload(TraceEntry& entry) const;
  // Must hold mutex_. A new last entry made in place from TraceEntry's members, in order.
  template <typename... Parts>
  TraceEntry& append(Parts&&... parts);
  std::size_t kept_from(std::size_t from) const { return from > released_ ? from - released_ : 0; }
};

}  // namespace fc::coap
