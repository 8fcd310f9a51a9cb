#include "suite/coap/trace.h"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <iterator>
#include <regex>
#include <fmt/format.h>

namespace fc::coap {

namespace {
const std::regex& truncation_note() {
  static const std::regex note(R"(payload (\d+)B, first \d+B kept)");
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
  std::smatch m;
  if (std::regex_search(e.note, m, truncation_note())) return std::stoul(m[1].str());
  return e.message.payload.size();
}

bool only_truncation_note(const TraceEntry& e) { return std::regex_match(e.note, truncation_note()); }

int block_exchange_option(const TraceEntry& e) {
  if (is_trace_note(e) || (!e.note.empty() && !only_truncation_note(e)) || e.message.type == MessageType::Rst) return 0;
  const auto& m = e.message;
  if (!m.code.is_request() && !m.code.is_success()) return 0;
  if (m.block2) return 2;
  if (m.block1) return 1;
  return 0;
}

TraceEntry Trace::make_entry(Clock::time_point time, Direction direction, std::string&& channel, std::string&& peer,
                             std::string&& local, Message&& message, std::string&& note) const {
  TraceEntry entry{time, direction, std::move(channel), std::move(peer), std::move(local), std::move(message),
                   std::move(note)};
  // Keep the size visible in summary() while dropping the bulk of long payloads.
  if (entry.message.payload.size() > payload_limit_) {
    // Every block of a transfer comes here: the note is written into a buffer on the stack and
    // the string allocated once, at its size (appending grew it two or three times).
    char text[80];
    char* at = text;
    auto put = [&at](std::string_view part) { at = std::copy(part.begin(), part.end(), at); };
    auto number = [&at](std::size_t n) { at = std::to_chars(at, at + 20, n).ptr; };
    if (!entry.note.empty()) put("; ");
    put("payload ");
    number(entry.message.payload.size());
    put("B, first ");
    number(payload_limit_);
    put("B kept");
    entry.note.append(text, static_cast<std::size_t>(at - text));
    // A copy of the kept part, so the entry does not hold on to the whole payload's buffer.
    entry.message.payload = Bytes(entry.message.payload.begin(),
                                  entry.message.payload.begin() + static_cast<std::ptrdiff_t>(payload_limit_));
  }
  return entry;
}

void Trace::record(Direction direction, std::string channel, std::string peer, std::string local,
                   Message message, std::string note) {
  auto entry = make_entry(Clock::now(), direction, std::move(channel), std::move(peer), std::move(local),
                          std::move(message), std::move(note));
  std::lock_guard lock(mutex_);
  append(std::move(entry));
}

void Trace::record_at(std::size_t position, Clock::time_point time, Direction direction, std::string channel,
                      std::string peer, std::string local, Message message) {
  auto entry = make_entry(time, direction, std::move(channel), std::move(peer), std::move(local), std::move(message),
                          {});
  std::lock_guard lock(mutex_);
  std::size_t index = kept_from(position);
  if (index >= kept_) {  // nothing recorded meanwhile: the usual case
    append(std::move(entry));
    return;
  }
  // Entries came meanwhile (the handler's notes, its own requests): this one goes before them.
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
  TraceEntry entry;
  entry.time = Clock::now();
  entry.channel = std::move(channel);
  entry.note = std::move(text);
  entry.message.type = MessageType::Non;
  std::lock_guard lock(mutex_);
  append(std::move(entry));
}

void Trace::append(TraceEntry&& entry) {
  // Chunks grow with the trace (a short case does not reserve a long one's room), up to 1024
  // entries each.
  constexpr std::size_t kSmallest = 16, kLargest = 1024;
  if (chunks_.empty() || chunks_.back().size() == chunks_.back().capacity()) {
    chunks_.emplace_back().reserve(std::clamp(kept_, kSmallest, kLargest));
  }
  chunks_.back().push_back(std::move(entry));
  ++kept_;
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
    out += fmt::format("  +{:.1f}ms {} {} {} {}{}\n", ms, e.direction == Direction::Sent ? "→" : "←",
                       e.channel, e.peer, e.message.summary(), e.note.empty() ? "" : "  [" + e.note + "]");
  }
  return out;
}

}  // namespace fc::coap
