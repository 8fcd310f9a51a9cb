#include "reports/message_sequence.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

#include "reports/case_text.h"
#include "reports/run_record.h"

namespace fc::reports {

namespace {

using coap::TraceEntry;

SequenceRow single(const record::CaseRecord& record, const TraceEntry& e) {
  SequenceRow row;
  row.trace_index = static_cast<std::size_t>(&e - record.trace.data());
  row.t_ms = row.end_ms = offset_ms(record.trace_origin, e.time);
  row.channel = e.channel;
  if (is_trace_note(e)) {
    row.note = true;
    row.text = e.note;
    return row;
  }
  row.sent = e.direction == coap::Direction::Sent;
  row.peer = e.peer;
  row.text = e.message.summary();
  row.annotation = shown_note(e);
  row.error = e.message.code.is_error() || e.message.type == coap::MessageType::Rst;
  return row;
}

SequenceRow fold(const record::CaseRecord& record, const std::vector<const TraceEntry*>& run, int kind) {
  SequenceRow row = single(record, *run.front());
  row.end_ms = offset_ms(record.trace_origin, run.back()->time);
  row.folded = run.size();
  std::uint32_t low = UINT32_MAX, high = 0;
  std::size_t requests = 0, responses = 0, bytes = 0, size = 0;
  std::set<std::string> codes;
  std::string path;
  for (const auto* e : run) {
    const auto& m = e->message;
    const auto& b = kind == 2 ? *m.block2 : *m.block1;
    low = std::min(low, b.num);
    high = std::max(high, b.num);
    size = b.size();
    if (m.code.is_request()) {
      ++requests;
      if (path.empty()) path = m.code.str().substr(5) + " " + m.path();  // "GET /fw/pkg"
    } else {
      ++responses;
      codes.insert(m.code.str());
    }
    bytes += payload_size(*e);
  }
  std::string code_list;
  for (const auto& c : codes) code_list += (code_list.empty() ? "" : ", ") + c;
  row.text = fmt::format("Block{} #{}–#{} ({} B blocks){}: {} requests, {} responses{}, {} payload bytes", kind, low,
                         high, size, path.empty() ? "" : " " + path, requests, responses,
                         code_list.empty() ? "" : " (" + code_list + ")", bytes);
  return row;
}

}  // namespace

std::vector<SequenceRow> message_sequence(const record::CaseRecord& record, std::size_t min_fold) {
  std::vector<SequenceRow> rows;
  const auto& trace = record.trace;
  std::set<std::size_t> marked;
  for (const auto& f : record.findings)
    if (f.trace_index && *f.trace_index < trace.size()) marked.insert(*f.trace_index);
  auto foldable = [&](std::size_t k) { return marked.contains(k) ? 0 : block_exchange_option(trace[k]); };
  for (std::size_t i = 0; i < trace.size();) {
    int kind = foldable(i);
    std::size_t j = i + 1;
    if (kind) {
      while (j < trace.size() && foldable(j) == kind && trace[j].channel == trace[i].channel &&
             trace[j].peer == trace[i].peer)
        ++j;
    }
    if (kind && j - i >= min_fold) {
      std::vector<const TraceEntry*> run;
      for (std::size_t k = i; k < j; ++k) run.push_back(&trace[k]);
      rows.push_back(fold(record, run, kind));
      i = j;
    } else {
      rows.push_back(single(record, trace[i]));
      rows.back().marked = marked.contains(i);
      ++i;
    }
  }
  return rows;
}

}  // namespace fc::reports
