#include "reports/junit_writer.h"

#include <ctime>
#include <fmt/format.h>
#include <map>
#include <fstream>
#include <sstream>

#include "reports/case_text.h"
#include "reports/results_json.h"
#include "reports/text_safety.h"

namespace fc::reports {

namespace {

using record::CaseRecord;
using record::Verdict;

void property(pugi::xml_node properties, const std::string& name, const std::string& value) {
  auto p = properties.append_child("property");
  p.append_attribute("name") = safe_text(name).c_str();
  p.append_attribute("value") = safe_text(value).c_str();
}

std::string iso_time(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  return text;
}

bool is_skip(Verdict v) { return v == Verdict::Skipped || v == Verdict::NotTested || v == Verdict::Inconclusive; }

std::string case_header(const CaseRecord& c) {
  std::string out = fmt::format("id: {}\nlevel: {}\nverdict: {}\n", case_label(c), record::to_string(c.meta.level),
                                record::to_string(c.verdict));
  if (!c.meta.clause.empty()) out += "clause: " + c.meta.clause + "\n";
  if (c.meta.ets) out += fmt::format("ETS: {}\n", *c.meta.ets);
  if (!c.meta.requirement.empty()) out += "requirement: " + c.meta.requirement + "\n";
  if (!c.reason.empty()) out += "reason: " + c.reason + "\n";
  if (!c.device.empty()) out += "device: " + c.device + "\n";
  for (const auto& [name, value] : c.measurements) out += "measured " + name + ": " + value + "\n";
  return out;
}

void add_testcase(pugi::xml_node suite, const CaseRecord& c) {
  auto tc = suite.append_child("testcase");
  tc.append_attribute("name") = safe_text(junit_case_name(c)).c_str();
  tc.append_attribute("classname") = safe_text("fotacheck." + c.meta.area).c_str();
  tc.append_attribute("time") = seconds_text(c.ended - c.started).c_str();
  if (c.verdict == Verdict::Fail || c.verdict == Verdict::Error) {
    // A device's violation is a <failure>; the suite's own trouble on the case an <error>.
    auto failure = tc.append_child(c.verdict == Verdict::Fail ? "failure" : "error");
    failure.append_attribute("type") = record::to_string(c.verdict).c_str();
    auto message = headline(c);
    failure.append_attribute("message") = safe_text(message.empty() ? record::to_string(c.verdict) : message).c_str();
    failure.text() = safe_text(findings_text(c)).c_str();
  } else if (is_skip(c.verdict)) {
    auto skipped = tc.append_child("skipped");
    std::string message = record::to_string(c.verdict) + (c.reason.empty() ? "" : ": " + c.reason);
    skipped.append_attribute("message") = first_line(message, 1000).c_str();
  }
  std::string out = case_header(c);
  if (!c.timeline.entries().empty()) out += "\ntimeline:\n" + timeline_text(c);
  if (!c.trace.empty()) out += "\nmessage trace:\n" + trace_text(c);
  tc.append_child("system-out").text() = safe_text(out).c_str();
}

}  // namespace

std::string junit_case_name(const CaseRecord& c) {
  return c.meta.id.empty() ? c.meta.name : c.meta.id + " " + c.meta.name;
}

void build_junit(const RunRecord& record, pugi::xml_document& document) {
  document.reset();
  auto declaration = document.append_child(pugi::node_declaration);
  declaration.append_attribute("version") = "1.0";
  declaration.append_attribute("encoding") = "UTF-8";

  // Areas in the order their first case ran.
  std::vector<std::string> areas;
  std::map<std::string, std::vector<const CaseRecord*>> by_area;
  for (const auto& c : record.cases) {
    if (!by_area.contains(c.meta.area)) areas.push_back(c.meta.area);
    by_area[c.meta.area].push_back(&c);
  }

  auto root = document.append_child("testsuites");
  // The conclusion in the root's name when the run gave no verdict: a CI page shows it first.
  auto verdict_given = conclusion(record) == Conclusion::MustFailed || conclusion(record) == Conclusion::NoMustFailed;
  root.append_attribute("name") = verdict_given ? "fotacheck" : safe_text("fotacheck: " + conclusion_line(record)).c_str();
  std::size_t total_tests = 0, total_failures = 0, total_errors = 0;
  Clock::duration total_time{};
  for (const auto& area : areas) {
    const auto& cases = by_area[area];
    std::size_t failures = 0, errors = 0, skipped = 0;
    Clock::duration time{};
    for (const auto* c : cases) {
      failures += c->verdict == Verdict::Fail;
      errors += c->verdict == Verdict::Error;
      skipped += is_skip(c->verdict);
      time += c->ended - c->started;
    }
    auto suite = root.append_child("testsuite");
    suite.append_attribute("name") = safe_text(area).c_str();
    suite.append_attribute("tests") = std::to_string(cases.size()).c_str();
    suite.append_attribute("failures") = std::to_string(failures).c_str();
    suite.append_attribute("errors") = std::to_string(errors).c_str();
    suite.append_attribute("skipped") = std::to_string(skipped).c_str();
    suite.append_attribute("time") = seconds_text(time).c_str();
    suite.append_attribute("timestamp") = iso_time(unix_ms_of(record, cases.front()->started)).c_str();

    auto properties = suite.append_child("properties");
    property(properties, "fotacheck.version", record.run.version);
    property(properties, "profile.hash", record.run.profile_hash);
    property(properties, "device.endpoint", record.run.device.endpoint);
    // What was tested, exactly: the binary as exec resolved it and its hash, or the hooks.
    if (!record.run.device.binary.empty()) {
      property(properties, "device.binary", record.run.device.binary);
      property(properties, "device.binary_sha256", record.run.device.binary_sha256);
    }
    for (const auto& [name, command] : record.run.device.commands) property(properties, "device.hook." + name, command);
    property(properties, "run.complete", record.complete ? "true" : "false");
    property(properties, "run.conclusion", conclusion_line(record));
    for (const auto* c : cases) {
      auto label = case_label(*c);
      property(properties, label + ".id", c->meta.id);
      property(properties, label + ".clause", c->meta.clause);
      property(properties, label + ".ets", c->meta.ets ? std::to_string(*c->meta.ets) : "");
      property(properties, label + ".level", record::to_string(c->meta.level));
      property(properties, label + ".verdict", record::to_string(c->verdict));
    }
    for (const auto* c : cases) add_testcase(suite, *c);
    total_tests += cases.size();
    total_failures += failures;
    total_errors += errors;
    total_time += time;
  }
  // A run in which no case ran (a device that never came up, a selection of no case) is one
  // errored testcase carrying the diagnosis: a CI that reads JUnit must not see an empty, green run.
  if (!record.diagnosis.empty()) {
    auto suite = root.append_child("testsuite");
    suite.append_attribute("name") = "fotacheck.run";
    suite.append_attribute("tests") = "1";
    suite.append_attribute("failures") = "0";
    suite.append_attribute("errors") = "1";
    suite.append_attribute("skipped") = "0";
    suite.append_attribute("time") = "0";
    suite.append_attribute("timestamp") = iso_time(record.run.started_unix_ms).c_str();
    auto properties = suite.append_child("properties");
    property(properties, "fotacheck.version", record.run.version);
    property(properties, "profile.hash", record.run.profile_hash);
    property(properties, "device.endpoint", record.run.device.endpoint);
    property(properties, "run.conclusion", conclusion_line(record));
    auto tc = suite.append_child("testcase");
    tc.append_attribute("name") = "no case was run";
    tc.append_attribute("classname") = "fotacheck.run";
    tc.append_attribute("time") = "0";
    auto error = tc.append_child("error");
    error.append_attribute("type") = "not-run";
    error.append_attribute("message") = first_line(safe_text(record.diagnosis), 1000).c_str();
    error.text() = safe_text(record.diagnosis).c_str();
    ++total_tests;
    ++total_errors;
  }
  root.append_attribute("tests") = std::to_string(total_tests).c_str();
  root.append_attribute("failures") = std::to_string(total_failures).c_str();
  root.append_attribute("errors") = std::to_string(total_errors).c_str();
  root.append_attribute("time") = seconds_text(total_time).c_str();
}

std::string junit_text(const RunRecord& record) {
  pugi::xml_document document;
  build_junit(record, document);
  std::ostringstream out;
  document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
  return out.str();
}

void write_junit(const RunRecord& record, const std::filesystem::path& file) {
  std::string text = junit_text(record);
  write_file(file, text);
}

}  // namespace fc::reports
