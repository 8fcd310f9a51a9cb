#include "suite/coap/trace.h"

#include <algorithm>
#include <iterator>
#include <regex>
#include <fmt/format.h>

namespace fc::coap {

namespace {
// The cut as shown_note writes it, at the end of the note (after "; " when the note has text).
const std::regex& truncation_note() {
  static const std::regex note(R"((^|; )payload (\d+)B, first \d+B kept$)");
  return note;
}
// Calls visit(entry) for every entry of `chunks` after the first `skip`.
template <typename Chunks, typename Visit>
void each_after(Chunks& chunks, std::size_t skip, Visit visit) {
  for (auto& chunk : chunks) {
    if (skip >= chunk.size()) {
      skip -= chunk.size();
      continue;
    }
    for (auto it = chunk.begin() + static_cast<std::ptrdiff_t>(skip); it != chunk.end(); ++it) visit(*it);
    skip = 0;
  }
}
}  // namespace

bool is_trace_note(const TraceEntry& e) { return e.peer.empty() && e.message.code == Code{}; }

std::size_t payload_size(const TraceEntry& e) {
  return e.cut_payload_size ? e.cut_payload_size : e.message.payload.size();
}

std::string shown_note(const TraceEntry& e) {
  if (!e.cut_payload_size) return e.note;
  return fmt::format("{}{}payload {}B, first {}B kept", e.note, e.note.empty() ? "" : "; ", e.cut_payload_size,
                     e.message.payload.size());
}

void read_shown_note(TraceEntry& e, std::string note) {
  e.cut_payload_size = 0;
  std::smatch m;
  if (std::regex_search(note, m, truncation_note())) {
    e.cut_payload_size = std::stoul(m[2].str());
    note.erase(static_cast<std::size_t>(m.position(0)));
  }
  e.note = std::move(note);
}

int block_exchange_option(const TraceEntry& e) {
  if (is_trace_note(e) || !e.note.empty() || e.message.type == MessageType::Rst) return 0;
  const auto& m = e.message;
  if (!m.code.is_request() && !m.code.is_success()) return 0;
  if (m.block2) return 2;
  if (m.block1) return 1;
  return 0;
}

void Trace::cut_payload(TraceEntry& entry) const {
  // Keep the size visible in summary() while dropping the bulk of long payloads.
  if (entry.message.payload.size() <= payload_limit_) return;
  entry.cut_payload_size = entry.message.payload.size();
  // A copy of the kept part, so the entry does not hold on to the whole payload's buffer.
  entry.message.payload =
      Bytes(entry.message.payload.begin(), entry.message.payload.begin() + static_cast<std::ptrdiff_t>(payload_limit_));
}

void Trace::record(Direction direction, std::string channel, std::string peer, std::string local,
                   Message message, std::string note) {
  auto time = Clock::now();
  std::lock_guard lock(mutex_);
  // Made in its place: every block of a transfer is recorded, and an entry is a few hundred bytes.
  cut_payload(append(time, direction, std::move(channel), std::move(peer), std::move(local), std::move(message),
                     std::move(note)));
}

void Trace::record_at(std::size_t position, Clock::time_point time, Direction direction, std::string channel,
                      std::string peer, std::string local, Message message) {
  std::lock_guard lock(mutex_);
  std::size_t index = kept_from(position);
  if (index >= kept_) {  // nothing recorded meanwhile: the usual case
    cut_payload(
        append(time, direction, std::move(channel), std::move(peer), std::move(local), std::move(message), std::string{}));
    return;
  }
  // Entries came meanwhile (the handler's notes, its own requests): this one goes before them.
  TraceEntry entry{time, direction, std::move(channel), std::move(peer), std::move(local), std::move(message), {}, 0};
  cut_payload(entry);
  for (auto& chunk : chunks_) {
    if (index > chunk.size()) {
      index -= chunk.size();
      continue;
    }
    chunk.insert(chunk.begin() + static_cast<std::ptrdiff_t>(index), std::move(entry));
    ++kept_;
    return;
  }
}

void Trace::note(std::string channel, std::string text) {
  auto time = Clock::now();
  std::lock_guard lock(mutex_);
  append(time, Direction::Sent, std::move(channel), std::string{}, std::string{}, Message{}, std::move(text))
      .message.type = MessageType::Non;
}

template <typename... Parts>
TraceEntry& Trace::append(Parts&&... parts) {
  // Chunks grow with the trace (a short case does not reserve a long one's room), up to 1024
  // entries each.
  constexpr std::size_t kSmallest = 16, kLargest = 1024;
  if (chunks_.empty() || chunks_.back().size() == chunks_.back().capacity()) {
    chunks_.emplace_back().reserve(std::clamp(kept_, kSmallest, kLargest));
  }
  ++kept_;
  return chunks_.back().emplace_back(std::forward<Parts>(parts)...);
}

std::vector<TraceEntry> Trace::entries(std::size_t from) const {
  std::lock_guard lock(mutex_);
  std::vector<TraceEntry> out;
  std::size_t skip = kept_from(from);
  if (skip < kept_) out.reserve(kept_ - skip);
  each_after(chunks_, skip, [&out](const TraceEntry& e) { out.push_back(e); });
  return out;
}

std::size_t Trace::mark() const {
  std::lock_guard lock(mutex_);
  return released_ + kept_;
}

std::vector<TraceEntry> Trace::take(std::size_t from) {
  std::lock_guard lock(mutex_);
  std::vector<TraceEntry> taken;
  std::size_t skip = kept_from(from);
  if (skip < kept_) taken.reserve(kept_ - skip);
  each_after(chunks_, skip, [&taken](TraceEntry& e) { taken.push_back(std::move(e)); });
  released_ += kept_;
  kept_ = 0;
  chunks_.clear();
  chunks_.shrink_to_fit();
  return taken;
}

void Trace::release_before(std::size_t mark) {
  std::lock_guard lock(mutex_);
  if (mark <= released_) return;
  auto drop = std::min(mark - released_, kept_);
  released_ += drop;
  kept_ -= drop;
  // Whole chunks go at once; a chunk released in part keeps its later entries.
  std::size_t whole = 0;
  while (whole < chunks_.size() && drop >= chunks_[whole].size()) drop -= chunks_[whole++].size();
  chunks_.erase(chunks_.begin(), chunks_.begin() + static_cast<std::ptrdiff_t>(whole));
  if (drop > 0) {
    auto& first = chunks_.front();
    first.erase(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(drop));
  }
  if (chunks_.empty()) chunks_.shrink_to_fit();  // a long case's chunk list is not kept for the next
}

std::string Trace::render(std::size_t from, std::size_t max_lines) const {
  auto list = entries(from);
  std::string out;
  std::size_t skipped = list.size() > max_lines ? list.size() - max_lines : 0;
  if (skipped) out += fmt::format("  … {} earlier messages not shown\n", skipped);
  for (std::size_t i = skipped; i < list.size(); ++i) {
    const auto& e = list[i];
    double ms = millis_since(origin_, e.time);
    if (e.peer.empty() && e.message.code == Code{}) {
      out += fmt::format("  +{:.1f}ms {} note: {}\n", ms, e.channel, e.note);
      continue;
    }
    auto note = shown_note(e);
    out += fmt::format("  +{:.1f}ms {} {} {} {}{}\n", ms, e.direction == Direction::Sent ? "→" : "←", e.channel, e.peer,
                       e.message.summary(), note.empty() ? "" : "  [" + note + "]");
  }
  return out;
}

}  // namespace fc::coap
