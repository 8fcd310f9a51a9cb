#include "reports/transfer_summary.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "reports/case_text.h"

namespace fc::reports {

namespace {

using coap::TraceEntry;

std::uint32_t block_number(const TraceEntry& e, int option) { return option == 2 ? e.message.block2->num : e.message.block1->num; }

struct Transfer {
  int option = 0;
  std::vector<std::size_t> members;  // trace indices, in order
  // Member positions a summary must not reach across: an error or RST on the transfer's
  // channel and peer came before it, or a request went back to an earlier block (a restart).
  std::set<std::size_t> breaks;
  std::optional<std::uint32_t> last_request;
  bool error_since_last_member = false;
};

bool is_error(const TraceEntry& e) {
  return e.message.type == coap::MessageType::Rst || e.message.code.is_error();
}

// Every transfer of the trace, in the order they began. Other messages on the same channel and
// peer (notifications during a push) do not end a transfer; a message with the other block
// option does.
std::vector<Transfer> find_transfers(const std::vector<TraceEntry>& trace) {
  std::vector<Transfer> done;
  std::map<std::pair<std::string, std::string>, Transfer> open;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    const auto& e = trace[i];
    if (e.peer.empty()) continue;  // notes do not end a transfer
    std::pair<std::string, std::string> key{e.channel, e.peer};
    int option = block_exchange_option(e);
    auto it = open.find(key);
    if (!option) {
      if (it != open.end() && is_error(e)) it->second.error_since_last_member = true;
      continue;
    }
    if (it != open.end() && it->second.option != option) {
      done.push_back(std::move(it->second));
      open.erase(it);
      it = open.end();
    }
    if (it == open.end()) it = open.emplace(key, Transfer{option, {}, {}, {}, false}).first;
    auto& t = it->second;
    auto num = block_number(e, option);
    bool restart = e.message.code.is_request() && t.last_request && num < *t.last_request;
    if (t.error_since_last_member || restart) t.breaks.insert(t.members.size());
    if (e.message.code.is_request()) t.last_request = num;
    t.error_since_last_member = false;
    t.members.push_back(i);
  }
  for (auto& [key, transfer] : open) done.push_back(std::move(transfer));
  std::sort(done.begin(), done.end(), [](const Transfer& a, const Transfer& b) { return a.members.front() < b.members.front(); });
  return done;
}

}  // namespace

std::string transfer_summary_text(const record::TransferSummary& s) {
  return fmt::format("Block{} #{}–#{} left out: {} messages over {} blocks, {} payload bytes, {} retransmission{} "
                     "(the transfer's first and last blocks are shown in full)",
                     s.block_option, s.first_block, s.last_block, s.messages, s.blocks, s.payload_bytes,
                     s.retransmissions, s.retransmissions == 1 ? "" : "s");
}

void summarise_transfers(record::CaseRecord& record, std::size_t min_left_out) {
  auto& trace = record.trace;
  std::set<std::size_t> pinned;  // the messages findings point to: never left out
  for (const auto& f : record.findings)
    if (f.trace_index) pinned.insert(*f.trace_index);

  // segment_of[i]: the summary that replaces entry i; the first entry of a segment carries it.
  std::vector<std::optional<std::size_t>> segment_of(trace.size());
  std::vector<record::TransferSummary> segments;
  std::vector<std::size_t> segment_start;
  for (const auto& transfer : find_transfers(trace)) {
    const auto& m = transfer.members;
    auto num = [&](std::size_t k) { return block_number(trace[m[k]], transfer.option); };
    std::size_t head = 0, tail = m.size();
    while (head < m.size() && num(head) == num(0)) ++head;
    while (tail > head && num(tail - 1) == num(m.size() - 1)) --tail;
    std::set<std::pair<coap::Direction, std::uint16_t>> seen;
    std::vector<bool> repeat(m.size());
    for (std::size_t k = 0; k < m.size(); ++k)
      repeat[k] = !seen.insert({trace[m[k]].direction, trace[m[k]].message.message_id}).second;
    // The middle, cut wherever a finding's message must stay and at every break.
    for (std::size_t k = head; k < tail;) {
      if (pinned.contains(m[k])) {
        ++k;
        continue;
      }
      std::size_t end = k + 1;
      while (end < tail && !pinned.contains(m[end]) && !transfer.breaks.contains(end)) ++end;
      if (end - k >= min_left_out) {
        record::TransferSummary s;
        s.block_option = transfer.option;
        s.channel = trace[m[k]].channel;
        s.peer = trace[m[k]].peer;
        s.first_block = UINT32_MAX;
        std::set<std::uint32_t> blocks;
        for (std::size_t j = k; j < end; ++j) {
          auto n = num(j);
          blocks.insert(n);
          s.first_block = std::min(s.first_block, n);
          s.last_block = std::max(s.last_block, n);
          s.payload_bytes += payload_size(trace[m[j]]);
          s.retransmissions += repeat[j];
          segment_of[m[j]] = segments.size();
        }
        s.blocks = blocks.size();
        s.messages = end - k;
        s.end = trace[m[end - 1]].time;
        segment_start.push_back(m[k]);
        segments.push_back(std::move(s));
      }
      k = end;
    }
  }
  if (segments.empty()) return;

  std::vector<TraceEntry> kept;
  std::vector<std::size_t> new_index(trace.size());
  std::vector<record::TransferSummary> transfers;
  std::size_t old_summary = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    // Summaries of an earlier pass sit at their own entries: they move with them.
    while (old_summary < record.transfers.size() && record.transfers[old_summary].trace_index < i) ++old_summary;
    bool earlier_summary = old_summary < record.transfers.size() && record.transfers[old_summary].trace_index == i;
    if (auto seg = segment_of[i]) {
      if (segment_start[*seg] != i) continue;
      auto s = segments[*seg];
      s.trace_index = kept.size();
      TraceEntry entry;
      entry.time = trace[i].time;
      entry.channel = s.channel;
      entry.message.type = coap::MessageType::Non;
      entry.note = transfer_summary_text(s);
      kept.push_back(std::move(entry));
      transfers.push_back(std::move(s));
      continue;
    }
    new_index[i] = kept.size();
    if (earlier_summary) {
      transfers.push_back(record.transfers[old_summary]);
      transfers.back().trace_index = kept.size();
    }
    kept.push_back(std::move(trace[i]));
  }
  for (auto& f : record.findings)
    if (f.trace_index && *f.trace_index < new_index.size()) f.trace_index = new_index[*f.trace_index];
  trace = std::move(kept);
  record.transfers = std::move(transfers);
}

}  // namespace fc::reports
