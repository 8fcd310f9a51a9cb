#include "reports/case_text.h"

#include <algorithm>
#include <fmt/format.h>
#include <regex>
#include <string_view>
#include <vector>

#include "reports/run_record.h"
#include "suite/record/radio_cost.h"
#include "reports/text_safety.h"

namespace fc::reports {

std::vector<RadioRow> radio_rows(const record::CaseRecord& record) {
  std::vector<RadioRow> rows;
  const auto& figures = record::radio_figures();
  for (const auto& [name, value] : record.measurements) {
    auto figure = record::radio_figure_of(name);
    if (!figure) continue;
    auto row = std::find_if(rows.begin(), rows.end(), [&](const RadioRow& r) { return r.first == figure->first; });
    if (row == rows.end()) row = rows.insert(rows.end(), RadioRow{figure->first, std::vector<std::string>(figures.size())});
    row->second[static_cast<std::size_t>(figure->second - figures.data())] = value;
  }
  return rows;
}

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
    auto note = coap::shown_note(e);
    out += fmt::format("+{:.1f}ms {} {} {} {}{}\n", ms, e.direction == coap::Direction::Sent ? "→" : "←", e.channel,
                       e.peer, e.message.summary(), note.empty() ? "" : "  [" + note + "]");
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


}  // namespace fc::reports
