#include "reports/case_text.h"

#include <fmt/format.h>
#include <regex>
#include <string_view>
#include <vector>

#include "reports/run_record.h"
#include "reports/text_safety.h"

namespace fc::reports {

namespace {
const std::regex& truncation_note() {
  static const std::regex note(R"(payload (\d+)B, first \d+B kept)");
  return note;
}
}  // namespace

bool is_trace_note(const coap::TraceEntry& e) { return e.peer.empty() && e.message.code == coap::Code{}; }

std::size_t payload_size(const coap::TraceEntry& e) {
  std::smatch m;
  if (std::regex_search(e.note, m, truncation_note())) return std::stoul(m[1].str());
  return e.message.payload.size();
}

bool only_truncation_note(const coap::TraceEntry& e) { return std::regex_match(e.note, truncation_note()); }

std::string timeline_text(const record::CaseRecord& record) {
  std::string out;
  for (const auto& t : record.timeline.entries())
    out += fmt::format("+{:.1f}ms {} {} ({})\n", offset_ms(record.started, t.time),
                       t.resource == record::FirmwareResource::State ? "State" : "Update Result", t.value, t.source);
  return out;
}

std::string trace_text(const record::CaseRecord& record) {
  std::string out;
  for (const auto& e : record.trace) {
    double ms = offset_ms(record.trace_origin, e.time);
    if (is_trace_note(e)) {
      out += fmt::format("+{:.1f}ms {} note: {}\n", ms, e.channel, e.note);
      continue;
    }
    out += fmt::format("+{:.1f}ms {} {} {} {}{}\n", ms, e.direction == coap::Direction::Sent ? "→" : "←", e.channel,
                       e.peer, e.message.summary(), e.note.empty() ? "" : "  [" + e.note + "]");
  }
  return out;
}

std::string seconds_text(Clock::duration duration) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  if (us < 0) us = 0;
  return fmt::format("{}.{:03}", us / 1000000, (us % 1000000) / 1000);
}

std::string findings_text(const record::CaseRecord& record) {
  std::string out;
  for (const auto& f : record.findings) {
    out += record::headline(f, record.meta.clause) + "\n";
    if (!f.detail.empty()) out += "  " + f.detail + "\n";
  }
  return out;
}

std::string headline(const record::CaseRecord& record) {
  if (!record.findings.empty()) return first_line(record::headline(record.findings.front(), record.meta.clause));
  return first_line(record.reason);
}

int block_exchange_option(const coap::TraceEntry& e) {
  if (is_trace_note(e) || (!e.note.empty() && !only_truncation_note(e)) || e.message.type == coap::MessageType::Rst) return 0;
  const auto& m = e.message;
  if (!m.code.is_request() && !m.code.is_success()) return 0;
  if (m.block2) return 2;
  if (m.block1) return 1;
  return 0;
}

}  // namespace fc::reports
