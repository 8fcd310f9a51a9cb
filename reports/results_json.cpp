#include "reports/results_json.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <utility>

#include "reports/case_text.h"
#include "suite/profile/capabilities.h"
#include "reports/text_safety.h"
#include "reports/transfer_summary.h"

namespace fc::reports {

namespace {

using nlohmann::json;
using record::CaseRecord;

constexpr auto kReplace = json::error_handler_t::replace;

Clock::duration from_ms(double ms) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(std::llround(ms * 1000.0)));
}

json block_to_json(const coap::BlockOption& b) { return json{{"num", b.num}, {"more", b.more}, {"szx", b.szx}}; }

template <typename T>
void put_optional(json& j, const char* key, const std::optional<T>& value) {
  if (value) j[key] = *value;
}


// Reads with the key path in every error: "results.json: cases[2].trace[7].message.code: …".
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw ResultsFormatError(fmt::format("{}: {}: {}", source_, path, what));
  }
  const json* find(const json& object, const std::string& path, const char* key) const {
    if (!object.is_object()) fail(path, "expected an object");
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }
  const json& need(const json& object, const std::string& path, const char* key) const {
    const json* v = find(object, path, key);
    if (!v) fail(join(path, key), "missing");
    return *v;
  }
  std::string text(const json& object, const std::string& path, const char* key, bool required = false) const {
    const json* v = required ? &need(object, path, key) : find(object, path, key);
    if (!v) return {};
    if (!v->is_string()) fail(join(path, key), "expected a string, got " + v->dump(-1, ' ', false, kReplace));
    return v->get<std::string>();
  }
  double number(const json& object, const std::string& path, const char* key, double fallback = 0) const {
    const json* v = find(object, path, key);
    if (!v) return fallback;
    if (!v->is_number()) fail(join(path, key), "expected a number, got " + v->dump(-1, ' ', false, kReplace));
    return v->get<double>();
  }
  template <typename T>
  std::optional<T> integer(const json& object, const std::string& path, const char* key) const {
    const json* v = find(object, path, key);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) fail(join(path, key), "expected an integer, got " + v->dump(-1, ' ', false, kReplace));
    auto raw = v->get<std::int64_t>();
    // std::in_range, not casts: the maximum of std::size_t cast to int64 is -1.
    if (!std::in_range<T>(raw))
      fail(join(path, key), fmt::format("{} is out of range", raw));
    return static_cast<T>(raw);
  }
  bool boolean(const json& object, const std::string& path, const char* key) const {
    const json* v = find(object, path, key);
    if (!v) return false;
    if (!v->is_boolean()) fail(join(path, key), "expected true or false");
    return v->get<bool>();
  }
  const json& array(const json& object, const std::string& path, const char* key, const json& empty) const {
    const json* v = find(object, path, key);
    if (!v) return empty;
    if (!v->is_array()) fail(join(path, key), "expected an array");
    return *v;
  }
  std::vector<std::string> strings(const json& object, const std::string& path, const char* key) const {
    static const json empty = json::array();
    std::vector<std::string> out;
    const auto& list = array(object, path, key, empty);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) fail(fmt::format("{}[{}]", join(path, key), i), "expected a string");
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  Bytes hex(const json& object, const std::string& path, const char* key) const {
    auto t = text(object, path, key);
    try {
      return from_hex(t);
    } catch (const std::exception& e) {
      fail(join(path, key), std::string("not hex: ") + e.what());
    }
  }
  static std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

 private:
  std::string source_;
};

std::optional<coap::BlockOption> block_from_json(const Reader& r, const json& m, const std::string& path, const char* key) {
  const json* b = r.find(m, path, key);
  if (!b) return std::nullopt;
  auto where = Reader::join(path, key);
  coap::BlockOption block;
  block.num = r.integer<std::uint32_t>(*b, where, "num").value_or(0);
  block.more = r.boolean(*b, where, "more");
  block.szx = r.integer<std::uint8_t>(*b, where, "szx").value_or(6);
  if (block.szx > 7) r.fail(where + ".szx", fmt::format("{} is not a block size exponent (0..7)", block.szx));
  return block;
}

coap::Message message_from_json(const Reader& r, const json& m, const std::string& path) {
  coap::Message msg;
  auto type = r.text(m, path, "type", true);
  bool known = false;
  for (auto t : {coap::MessageType::Con, coap::MessageType::Non, coap::MessageType::Ack, coap::MessageType::Rst})
    if (coap::to_string(t) == type) msg.type = t, known = true;
  if (!known) r.fail(path + ".type", "expected CON, NON, ACK or RST, got \"" + type + "\"");
  auto code = r.text(m, path, "code", true);
  unsigned cls = 0, detail = 0;
  char dot = 0;
  std::istringstream in(code);
  if (!(in >> cls >> dot >> detail) || dot != '.' || cls > 7 || detail > 31)
    r.fail(path + ".code", "expected c.dd (like 2.05), got \"" + code + "\"");
  msg.code = coap::Code(static_cast<std::uint8_t>(cls), static_cast<std::uint8_t>(detail));
  msg.message_id = r.integer<std::uint16_t>(m, path, "mid").value_or(0);
  msg.token = r.hex(m, path, "token");
  msg.uri_path = r.strings(m, path, "uri_path");
  msg.uri_query = r.strings(m, path, "uri_query");
  msg.location_path = r.strings(m, path, "location_path");
  msg.content_format = r.integer<std::uint16_t>(m, path, "content_format");
  msg.accept = r.integer<std::uint16_t>(m, path, "accept");
  msg.observe = r.integer<std::uint32_t>(m, path, "observe");
  msg.block1 = block_from_json(r, m, path, "block1");
  msg.block2 = block_from_json(r, m, path, "block2");
  msg.size1 = r.integer<std::uint32_t>(m, path, "size1");
  msg.size2 = r.integer<std::uint32_t>(m, path, "size2");
  auto etags = r.strings(m, path, "etags");
  for (std::size_t i = 0; i < etags.size(); ++i) {
    try {
      msg.etags.push_back(from_hex(etags[i]));
    } catch (const std::exception& e) {
      r.fail(fmt::format("{}.etags[{}]", path, i), std::string("not hex: ") + e.what());
    }
  }
  msg.payload = r.hex(m, path, "payload_hex");
  return msg;
}

coap::TraceEntry trace_entry_from_json(const Reader& r, const json& e, const std::string& path, Clock::time_point origin) {
  coap::TraceEntry entry;
  entry.time = origin + from_ms(r.number(e, path, "t_ms"));
  entry.channel = r.text(e, path, "channel");
  auto note = r.text(e, path, "note");
  const json* m = r.find(e, path, "message");
  if (!m) {  // a note: what Trace::note records
    entry.note = std::move(note);
    entry.message.type = coap::MessageType::Non;
    return entry;
  }
  coap::read_shown_note(entry, std::move(note));
  auto direction = r.text(e, path, "direction", true);
  if (direction == "sent") entry.direction = coap::Direction::Sent;
  else if (direction == "received") entry.direction = coap::Direction::Received;
  else r.fail(path + ".direction", "expected \"sent\" or \"received\", got \"" + direction + "\"");
  entry.peer = r.text(e, path, "peer");
  entry.local = r.text(e, path, "local");
  entry.message = message_from_json(r, *m, path + ".message");
  return entry;
}

record::TransferSummary transfer_from_json(const Reader& r, const json& t, const std::string& path, Clock::time_point origin) {
  record::TransferSummary s;
  auto count = [&](const char* key) { return r.integer<std::size_t>(t, path, key).value_or(0); };
  s.block_option = r.integer<int>(t, path, "block_option").value_or(2);
  if (s.block_option != 1 && s.block_option != 2) r.fail(path + ".block_option", "expected 1 (Block1) or 2 (Block2)");
  s.peer = r.text(t, path, "peer");
  s.first_block = r.integer<std::uint32_t>(t, path, "first_block").value_or(0);
  s.last_block = r.integer<std::uint32_t>(t, path, "last_block").value_or(0);
  s.blocks = count("blocks");
  s.messages = count("messages");
  s.payload_bytes = count("payload_bytes");
  s.retransmissions = count("retransmissions");
  s.end = origin + from_ms(r.number(t, path, "end_ms"));
  return s;
}

record::Finding finding_from_json(const Reader& r, const json& j, const std::string& path, Clock::time_point started) {
  record::Finding f;
  auto kind = r.text(j, path, "kind");
  if (kind == "error") f.kind = record::Finding::Kind::Error;
  else if (!kind.empty() && kind != "violation") r.fail(path + ".kind", "expected violation or error, got \"" + kind + "\"");
  f.action = r.text(j, path, "action");
  f.expected = r.text(j, path, "expected");
  f.observed = r.text(j, path, "observed");
  f.requirement = r.text(j, path, "requirement");
  f.detail = r.text(j, path, "detail");
  f.trace_index = r.integer<std::size_t>(j, path, "trace_index");
  if (r.find(j, path, "at_ms")) f.at = started + from_ms(r.number(j, path, "at_ms"));
  return f;
}

CaseRecord case_from_json(const Reader& r, const json& c, const std::string& path, Clock::time_point run_origin) {
  CaseRecord record;
  auto& meta = record.meta;
  meta.area = r.text(c, path, "area");
  meta.name = r.text(c, path, "name");
  meta.id = r.text(c, path, "id");
  meta.title = r.text(c, path, "title");
  meta.requirement = r.text(c, path, "requirement");
  meta.clause = r.text(c, path, "clause");
  meta.ets = r.integer<int>(c, path, "ets");
  auto level = r.text(c, path, "level");
  if (!level.empty()) {
    auto parsed = parse_level(level);
    if (!parsed) r.fail(path + ".level", "expected MUST, SHOULD or INFO, got \"" + level + "\"");
    meta.level = *parsed;
  }
  auto needs = r.strings(c, path, "needs");
  for (std::size_t i = 0; i < needs.size(); ++i) {
    auto cap = profile::capability_named(needs[i]);
    if (!cap) r.fail(fmt::format("{}.needs[{}]", path, i), "unknown capability \"" + needs[i] + "\"");
    meta.needs.push_back(*cap);
  }
  auto faults = r.strings(c, path, "faults");
  for (std::size_t i = 0; i < faults.size(); ++i) {
    auto f = profile::fault_named(faults[i]);
    if (!f) r.fail(fmt::format("{}.faults[{}]", path, i), "unknown fault \"" + faults[i] + "\"");
    meta.faults.push_back(*f);
  }
  auto verdict = r.text(c, path, "verdict", true);
  auto parsed = parse_verdict(verdict);
  if (!parsed) r.fail(path + ".verdict", "unknown verdict \"" + verdict + "\"");
  record.verdict = *parsed;
  record.reason = r.text(c, path, "reason");
  record.device = r.text(c, path, "device");
  record.started = run_origin + from_ms(r.number(c, path, "started_ms"));
  record.ended = record.started + from_ms(r.number(c, path, "duration_ms"));
  record.trace_origin = record.started + from_ms(r.number(c, path, "trace_origin_ms"));
  static const json no_findings = json::array();
  const auto& findings = r.array(c, path, "findings", no_findings);
  for (std::size_t i = 0; i < findings.size(); ++i)
    record.findings.push_back(finding_from_json(r, findings[i], fmt::format("{}.findings[{}]", path, i), record.started));

  static const json empty = json::array();
  const auto& timeline = r.array(c, path, "timeline", empty);
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    auto where = fmt::format("{}.timeline[{}]", path, i);
    record::TimelineEntry t;
    t.time = record.started + from_ms(r.number(timeline[i], where, "t_ms"));
    auto resource = r.text(timeline[i], where, "resource", true);
    if (resource == "State") t.resource = record::FirmwareResource::State;
    else if (resource == "UpdateResult") t.resource = record::FirmwareResource::UpdateResult;
    else r.fail(where + ".resource", "expected State or UpdateResult, got \"" + resource + "\"");
    auto value = r.integer<std::int64_t>(timeline[i], where, "value");
    if (!value) r.fail(where + ".value", "missing");
    t.value = *value;
    t.source = r.text(timeline[i], where, "source");
    record.timeline.add(std::move(t));
  }
  const auto& trace = r.array(c, path, "trace", empty);
  for (std::size_t i = 0; i < trace.size(); ++i) {
    auto where = fmt::format("{}.trace[{}]", path, i);
    record.trace.push_back(trace_entry_from_json(r, trace[i], where, record.trace_origin));
    if (const json* t = r.find(trace[i], where, "transfer")) {
      auto summary = transfer_from_json(r, *t, where + ".transfer", record.trace_origin);
      summary.trace_index = i;
      summary.channel = record.trace.back().channel;
      record.transfers.push_back(std::move(summary));
    }
  }
  const auto& measurements = r.array(c, path, "measurements", empty);
  for (std::size_t i = 0; i < measurements.size(); ++i) {
    auto where = fmt::format("{}.measurements[{}]", path, i);
    record.measurements.emplace_back(r.text(measurements[i], where, "name", true), r.text(measurements[i], where, "value"));
  }
  // Files written before the oracle's cells were recorded have none: an empty list, not an error.
  const auto& transitions = r.array(c, path, "transitions", empty);
  for (std::size_t i = 0; i < transitions.size(); ++i) {
    auto where = fmt::format("{}.transitions[{}]", path, i);
    auto number = [&](const char* key) {
      auto value = r.integer<std::int64_t>(transitions[i], where, key);
      if (!value) r.fail(Reader::join(where, key), "missing");
      return *value;
    };
    record::TransitionCell cell;
    cell.from = number("from");
    cell.to = number("to");
    cell.result = number("result");
    cell.rules = r.text(transitions[i], where, "rules", true);
    record.transitions.push_back(std::move(cell));
  }
  return record;
}

RunInfo run_info_from_json(const Reader& r, const json& j) {
  const std::string path = "run";
  RunInfo info;
  info.tool = r.text(j, path, "tool");
  info.version = r.text(j, path, "version");
  info.started_unix_ms = r.integer<std::int64_t>(j, path, "started_unix_ms").value_or(0);
  info.profile_path = r.text(j, path, "profile_path");
  info.profile_hash = r.text(j, path, "profile_hash");
  info.profile_file_sha256 = r.text(j, path, "profile_file_sha256");
  if (const json* p = r.find(j, path, "profile")) info.profile = *p;
  if (const json* d = r.find(j, path, "device")) {
    info.device.name = r.text(*d, "run.device", "name");
    info.device.endpoint = r.text(*d, "run.device", "endpoint");
    info.device.lab_device = r.text(*d, "run.device", "lab_device");
    if (const json* v = r.find(*d, "run.device", "declared")) info.device.declared = *v;
    if (const json* v = r.find(*d, "run.device", "read")) info.device.read = *v;
    if (const json* v = r.find(*d, "run.device", "bootstrap")) info.device.bootstrap = *v;
    info.device.adapter = r.text(*d, "run.device", "adapter");
    info.device.binary = r.text(*d, "run.device", "binary");
    info.device.binary_sha256 = r.text(*d, "run.device", "binary_sha256");
    if (const json* commands = r.find(*d, "run.device", "commands")) {
      if (!commands->is_object()) r.fail("run.device.commands", "expected an object");
      for (const auto& [name, command] : commands->items())
        info.device.commands[name] = r.text(*commands, "run.device.commands", name.c_str());
    }
  }
  info.server_uri = r.text(j, path, "server_uri");
  info.server_address = r.text(j, path, "server_address");
  return info;
}

}  // namespace

std::optional<record::Verdict> parse_verdict(std::string_view text) { return record::verdict_named(text); }

std::optional<record::Level> parse_level(std::string_view text) {
  for (auto l : {record::Level::Must, record::Level::Should, record::Level::Info})
    if (record::to_string(l) == text) return l;
  return std::nullopt;
}

json message_to_json(const coap::Message& m) {
  json j{{"type", coap::to_string(m.type)}, {"code", m.code.number()}, {"mid", m.message_id}, {"token", to_hex(m.token)}};
  if (!m.uri_path.empty()) j["uri_path"] = m.uri_path;
  if (!m.uri_query.empty()) j["uri_query"] = m.uri_query;
  if (!m.location_path.empty()) j["location_path"] = m.location_path;
  put_optional(j, "content_format", m.content_format);
  put_optional(j, "accept", m.accept);
  put_optional(j, "observe", m.observe);
  if (m.block1) j["block1"] = block_to_json(*m.block1);
  if (m.block2) j["block2"] = block_to_json(*m.block2);
  put_optional(j, "size1", m.size1);
  put_optional(j, "size2", m.size2);
  if (!m.etags.empty()) {
    j["etags"] = json::array();
    for (const auto& e : m.etags) j["etags"].push_back(to_hex(e));
  }
  j["summary"] = m.summary();
  return j;
}

json trace_entry_to_json(const coap::TraceEntry& e, Clock::time_point trace_origin) {
  json j{{"t_ms", offset_ms(trace_origin, e.time)}, {"channel", e.channel}};
  if (!is_trace_note(e)) {
    j["direction"] = e.direction == coap::Direction::Sent ? "sent" : "received";
    j["peer"] = e.peer;
    if (!e.local.empty()) j["local"] = e.local;
    j["message"] = message_to_json(e.message);
    j["message"]["payload_size"] = payload_size(e);
    j["message"]["payload_hex"] = to_hex(e.message.payload);
  }
  if (auto note = coap::shown_note(e); !note.empty()) j["note"] = std::move(note);
  return j;
}

json transfer_to_json(const record::TransferSummary& s, Clock::time_point trace_origin) {
  return json{{"block_option", s.block_option},   {"peer", s.peer},
              {"first_block", s.first_block},     {"last_block", s.last_block},
              {"blocks", s.blocks},               {"messages", s.messages},
              {"payload_bytes", s.payload_bytes}, {"retransmissions", s.retransmissions},
              {"end_ms", offset_ms(trace_origin, s.end)}};
}

json finding_to_json(const record::Finding& f, Clock::time_point started) {
  json j{{"kind", f.kind == record::Finding::Kind::Error ? "error" : "violation"},
         {"action", f.action},
         {"expected", f.expected},
         {"observed", f.observed},
         {"headline", record::headline(f)}};
  if (!f.requirement.empty()) j["requirement"] = f.requirement;
  if (!f.detail.empty()) j["detail"] = f.detail;
  if (f.trace_index) j["trace_index"] = *f.trace_index;
  if (f.at) j["at_ms"] = offset_ms(started, *f.at);
  return j;
}

json case_to_json(const CaseRecord& record, Clock::time_point run_origin) {
  const auto& meta = record.meta;
  json j{{"area", meta.area},          {"name", meta.name},     {"id", meta.id},
         {"title", meta.title},        {"requirement", meta.requirement},
         {"clause", meta.clause},      {"level", record::to_string(meta.level)}};
  if (meta.ets) j["ets"] = *meta.ets;
  j["needs"] = json::array();
  for (auto c : meta.needs) j["needs"].push_back(record::to_string(c));
  j["faults"] = json::array();
  for (auto f : meta.faults) j["faults"].push_back(record::to_string(f));
  j["verdict"] = record::to_string(record.verdict);
  if (!record.reason.empty()) j["reason"] = record.reason;
  if (!record.device.empty()) j["device"] = record.device;
  j["findings"] = json::array();
  for (const auto& f : record.findings) j["findings"].push_back(finding_to_json(f, record.started));
  j["started_ms"] = offset_ms(run_origin, record.started);
  j["duration_ms"] = offset_ms(record.started, record.ended);
  j["trace_origin_ms"] = offset_ms(record.started, record.trace_origin);
  j["timeline"] = json::array();
  for (const auto& t : record.timeline.entries())
    j["timeline"].push_back(json{{"t_ms", offset_ms(record.started, t.time)},
                                 {"resource", t.resource == record::FirmwareResource::State ? "State" : "UpdateResult"},
                                 {"value", t.value},
                                 {"source", t.source}});
  j["trace"] = json::array();
  auto summary = record.transfers.begin();
  for (std::size_t i = 0; i < record.trace.size(); ++i) {
    j["trace"].push_back(trace_entry_to_json(record.trace[i], record.trace_origin));
    while (summary != record.transfers.end() && summary->trace_index < i) ++summary;
    if (summary != record.transfers.end() && summary->trace_index == i)
      j["trace"].back()["transfer"] = transfer_to_json(*summary, record.trace_origin);
  }
  j["measurements"] = json::array();
  for (const auto& [name, value] : record.measurements) j["measurements"].push_back(json{{"name", name}, {"value", value}});
  // The transition oracle's cells: each §3.1 step the case exercised, with the rows that explain it.
  j["transitions"] = json::array();
  for (const auto& cell : record.transitions)
    j["transitions"].push_back(json{{"from", cell.from}, {"to", cell.to}, {"result", cell.result}, {"rules", cell.rules}});
  return j;
}

json run_info_to_json(const RunInfo& info) {
  json device{{"endpoint", info.device.endpoint}, {"declared", info.device.declared}, {"read", info.device.read}};
  if (!info.device.name.empty()) device["name"] = info.device.name;
  if (!info.device.lab_device.empty()) device["lab_device"] = info.device.lab_device;
  if (!info.device.adapter.empty()) device["adapter"] = info.device.adapter;
  if (!info.device.binary.empty()) device["binary"] = info.device.binary;
  if (!info.device.binary_sha256.empty()) device["binary_sha256"] = info.device.binary_sha256;
  if (!info.device.commands.empty()) device["commands"] = info.device.commands;
  if (!info.device.bootstrap.is_null()) device["bootstrap"] = info.device.bootstrap;
  return json{{"tool", info.tool},
              {"version", info.version},
              {"started_unix_ms", info.started_unix_ms},
              {"profile_path", info.profile_path},
              {"profile_hash", info.profile_hash},
              {"profile_file_sha256", info.profile_file_sha256},
              {"profile", info.profile},
              {"device", device},
              {"server_uri", info.server_uri},
              {"server_address", info.server_address}};
}

json results_head(const RunRecord& record) {
  json head{{"complete", record.complete}};
  if (record.complete) head["ended_unix_ms"] = record.ended_unix_ms;
  head["counts"] = verdict_counts(record);
  head["must_failed"] = must_failed(record);
  head["must_unjudged"] = must_unjudged(record);
  head["conclusion"] = conclusion_line(record);
  if (!record.diagnosis.empty()) head["diagnosis"] = record.diagnosis;
  if (!record.interrupted_by.empty()) head["interrupted_by"] = record.interrupted_by;
  head["run"] = run_info_to_json(record.run);
  return head;
}

std::string case_line(const CaseRecord& record, Clock::time_point run_origin) {
  return case_to_json(record, run_origin).dump(-1, ' ', false, kReplace);
}

std::string results_opening() {
  return fmt::format("{{\n  \"format\": \"{}\",\n  \"format_version\": {},\n  \"cases\": [", kResultsFormat,
                     kResultsFormatVersion);
}

std::string case_separator(bool first) { return first ? "\n    " : ",\n    "; }

std::string results_closing(const json& head, bool any_case) {
  std::string fields = head.dump(2, ' ', false, kReplace);  // "{\n  \"complete\": …\n}"
  return std::string(any_case ? "\n  ]," : "],") + fields.substr(1) + "\n";
}

std::string assemble_results(const json& head, const std::vector<std::string>& case_lines) {
  std::string text = results_opening();
  for (std::size_t i = 0; i < case_lines.size(); ++i) text += case_separator(i == 0) + case_lines[i];
  return text + results_closing(head, !case_lines.empty());
}

std::string results_document(const RunRecord& record) {
  std::vector<std::string> lines;
  for (const auto& c : record.cases) lines.push_back(case_line(c, record.origin));
  return assemble_results(results_head(record), lines);
}

RunRecord parse_results(std::string_view text, const std::string& source) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ResultsFormatError(fmt::format("{}: not JSON (byte {}): {}", source, e.byte, e.what()));
  }
  Reader r(source);
  if (!doc.is_object()) r.fail("(top level)", "expected an object");
  auto format = r.text(doc, "", "format", true);
  if (format != kResultsFormat) r.fail("format", "expected \"" + std::string(kResultsFormat) + "\", got \"" + format + "\"");
  auto version = r.integer<int>(doc, "", "format_version").value_or(0);
  // Version 2 has the same keys without transfer summaries: read, then summarised like a new run.
  if (version != kResultsFormatVersion && version != kOldestReadableFormatVersion)
    r.fail("format_version", fmt::format("this fotacheck reads versions {} to {}, the file has {}",
                                         kOldestReadableFormatVersion, kResultsFormatVersion, version));
  RunRecord record;
  record.run = run_info_from_json(r, r.need(doc, "", "run"));
  record.complete = r.boolean(doc, "", "complete");
  record.ended_unix_ms = r.integer<std::int64_t>(doc, "", "ended_unix_ms").value_or(0);
  record.diagnosis = r.text(doc, "", "diagnosis");
  record.interrupted_by = r.text(doc, "", "interrupted_by");
  static const json empty = json::array();
  const auto& cases = r.array(doc, "", "cases", empty);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    record.cases.push_back(case_from_json(r, cases[i], fmt::format("cases[{}]", i), record.origin));
    if (version < kResultsFormatVersion) summarise_transfers(record.cases.back());
  }
  return record;
}

RunRecord read_results(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ResultsFormatError(file.string() + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_results(text.str(), file.string());
}

void write_file(const std::filesystem::path& file, std::string_view text) {
  // POSIX calls rather than a stream: the error must say why (a full disk, a read-only folder).
  auto fail = [&](const char* what) {
    throw std::runtime_error(fmt::format("cannot write {}: {}: {}", file.string(), what, std::strerror(errno)));
  };
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) fail("open");
  for (std::size_t done = 0; done < text.size();) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      errno = saved;
      fail("write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) fail("close");
}

void write_atomically(const std::filesystem::path& file, std::string_view text) {
  auto temp = file;
  temp += ".tmp";
  write_file(temp, text);
  std::error_code ec;
  std::filesystem::rename(temp, file, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot write {}: rename from {}: {}", file.string(), temp.string(), ec.message()));
}

}  // namespace fc::reports
