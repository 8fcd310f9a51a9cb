#include "suite/coap/trace.h"

#include <algorithm>
#include <iterator>
#include <regex>
#include <fmt/format.h>

namespace fc::coap {

namespace {
const std::regex& truncation_note() {
  static const std::regex note(R"(payload (\d+)B, first \d+B kept)");
  return note;
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

void Trace::record(Direction direction, std::string channel, std::string peer, std::string local,
                   Message message, std::string note) {
  TraceEntry entry{Clock::now(), direction, std::move(channel), std::move(peer), std::move(local),
                   std::move(message), std::move(note)};
  // Keep the size visible in summary() while dropping the bulk of long payloads.
  if (entry.message.payload.size() > payload_limit_) {
    // Every block of a transfer comes here: plain appends, no format string to parse.
    if (!entry.note.empty()) entry.note += "; ";
    entry.note += "payload ";
    entry.note += std::to_string(entry.message.payload.size());
    entry.note += "B, first ";
    entry.note += std::to_string(payload_limit_);
    entry.note += "B kept";
    entry.message.payload.resize(payload_limit_);
  }
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
}

void Trace::note(std::string channel, std::string text) {
  TraceEntry entry;
  entry.time = Clock::now();
  entry.channel = std::move(channel);
  entry.note = std::move(text);
  entry.message.type = MessageType::Non;
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
}

std::vector<TraceEntry> Trace::entries(std::size_t from) const {
  std::lock_guard lock(mutex_);
  from = from > released_ ? from - released_ : 0;
  if (from >= entries_.size()) return {};
  return std::vector<TraceEntry>(entries_.begin() + static_cast<std::ptrdiff_t>(from), entries_.end());
}

std::size_t Trace::mark() const {
  std::lock_guard lock(mutex_);
  return released_ + entries_.size();
}

std::vector<TraceEntry> Trace::take(std::size_t from) {
  std::lock_guard lock(mutex_);
  from = std::min(from > released_ ? from - released_ : 0, entries_.size());
  std::vector<TraceEntry> taken(std::make_move_iterator(entries_.begin() + static_cast<std::ptrdiff_t>(from)),
                                std::make_move_iterator(entries_.end()));
  released_ += entries_.size();
  entries_.clear();
  entries_.shrink_to_fit();
  return taken;
}

void Trace::release_before(std::size_t mark) {
  std::lock_guard lock(mutex_);
  if (mark <= released_) return;
  auto drop = std::min(mark - released_, entries_.size());
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(drop));
  if (entries_.empty()) entries_.shrink_to_fit();  // a long case's buffer is not kept for the next
  released_ += drop;
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
