#include "tests/unit/reports/sample_run.h"

#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fc::reports::testing {

namespace {

using record::CaseRecord;
using record::FirmwareResource;
using record::Level;
using record::Verdict;

// Origin of the sample's steady clock: an arbitrary instant, microsecond-exact offsets from it.
const Clock::time_point kOrigin = Clock::time_point{} + std::chrono::hours(100);
const std::string kDevice = "127.0.0.1:" + std::to_string(kDevicePort);
const std::string kServer = "127.0.0.1:" + std::to_string(kServerPort);
const std::string kRepository = "127.0.0.1:" + std::to_string(kRepositoryPort);

Clock::time_point at_ms(double ms) {
  return kOrigin + std::chrono::duration_cast<Clock::duration>(std::chrono::microseconds(std::llround(ms * 1000)));
}

CaseRecord base(const char* area, const char* name, const char* id, Level level, Verdict verdict, double start_ms,
                double duration_ms) {
  CaseRecord r;
  r.meta.area = area;
  r.meta.name = name;
  r.meta.id = id;
  r.meta.level = level;
  r.meta.title = std::string("title of ") + name;
  r.meta.requirement = std::string("requirement of ") + id;
  r.meta.clause = "TS Core E.6.1";
  r.verdict = verdict;
  r.started = at_ms(start_ms);
  r.ended = at_ms(start_ms + duration_ms);
  r.trace_origin = r.started;
  return r;
}

void timeline(CaseRecord& r, double ms, FirmwareResource resource, std::int64_t value, const char* source) {
  r.timeline.add(record::TimelineEntry{r.started + std::chrono::microseconds(std::llround(ms * 1000)),
                                         resource, value, source});
}

coap::TraceEntry entry(const CaseRecord& r, double ms, coap::Direction direction, std::string channel, std::string peer,
                       std::string local, coap::Message message, std::string note = {}) {
  return coap::TraceEntry{r.trace_origin + std::chrono::microseconds(std::llround(ms * 1000)), direction,
                          std::move(channel), std::move(peer), std::move(local), std::move(message), std::move(note)};
}

coap::Message request(coap::Code code, std::uint16_t mid, std::vector<std::string> path) {
  coap::Message m;
  m.type = coap::MessageType::Con;
  m.code = code;
  m.message_id = mid;
  m.token = Bytes{0x4a, static_cast<std::uint8_t>(mid >> 8), static_cast<std::uint8_t>(mid & 0xFF)};
  m.uri_path = std::move(path);
  return m;
}

coap::Message ack(coap::Code code, const coap::Message& to) {
  coap::Message m;
  m.type = coap::MessageType::Ack;
  m.code = code;
  m.message_id = to.message_id;
  m.token = to.token;
  return m;
}

CaseRecord passing_case() {
  auto r = base("Registration", "ReadsState", "FU-OBJ-751", Level::Must, Verdict::Pass, 10, 120.5);
  r.meta.ets = 751;
  timeline(r, 2, FirmwareResource::State, 0, "observe");
  timeline(r, 3, FirmwareResource::UpdateResult, 0, "observe");
  auto get = request(coap::code::Get, 0x0201, {"5", "0", "3"});
  get.observe = 0;
  get.accept = 0;
  auto content = ack(coap::code::Content, get);
  content.observe = 7;
  content.content_format = 0;
  content.payload = to_bytes("0");
  r.trace.push_back(entry(r, 1.5, coap::Direction::Sent, "lwm2m", kDevice, kServer, get));
  r.trace.push_back(entry(r, 1.9, coap::Direction::Received, "lwm2m", kDevice, kServer, content));
  return r;
}

// Pull over CoAP that stalls in Downloading: a Block2 download of 8 × 1024 bytes, payloads
// cut to 256 bytes as the trace keeps them, then the repository's impairment note.
CaseRecord failing_download() {
  auto r = base("Pull", "DownloadsOverCoap", "FU-PULL-001", Level::Must, Verdict::Fail, 200, 3100.25);
  r.meta.ets = 756;
  r.meta.needs = {record::Capability::PullCoap};
  r.meta.clause = "TS Core E.6.1; reference §3.1 T1, T4";
  r.findings = {
      record::Finding{record::Finding::Kind::Violation, "Waiting 3000 ms for State 2 (Downloaded)", "State 2 (Downloaded)",
                      "State went 0, 1", "", "", 3, r.started + std::chrono::milliseconds(3000)},
      record::Finding{record::Finding::Kind::Violation, "Read /5/0/5 (Update Result)", "Update Result 0 (Initial value)",
                      "Update Result 4 \x01 with a control byte", "TS Core E.6.1", "second line", {}, {}}};
  timeline(r, 1, FirmwareResource::State, 0, "observe");
  timeline(r, 1.2, FirmwareResource::UpdateResult, 0, "observe");
  timeline(r, 30, FirmwareResource::State, 1, "notify");
  r.transitions = {{0, 1, 0, "T1"}};
  auto write = request(coap::code::Put, 0x0300, {"5", "0", "1"});
  write.content_format = 0;
  write.payload = to_bytes("coap://127.0.0.1:41001/fw/pkg");
  r.trace.push_back(entry(r, 5, coap::Direction::Sent, "lwm2m", kDevice, kServer, write));
  r.trace.push_back(entry(r, 9, coap::Direction::Received, "lwm2m", kDevice, kServer, ack(coap::code::Changed, write)));
  for (std::uint32_t block = 0; block < 8; ++block) {
    auto get = request(coap::code::Get, static_cast<std::uint16_t>(0x1000 + block), {"fw", "pkg"});
    get.block2 = coap::BlockOption{block, false, 6};
    auto content = ack(coap::code::Content, get);
    content.block2 = coap::BlockOption{block, block < 7, 6};
    content.size2 = 8192;
    content.etags = {Bytes{0xe7, 0x01}};
    content.payload = Bytes(256, static_cast<std::uint8_t>(0x30 + block));
    double t = 40 + block * 10.0;
    r.trace.push_back(entry(r, t, coap::Direction::Received, "repository-coap", kDevice, kRepository, get));
    r.trace.push_back(entry(r, t + 0.5, coap::Direction::Sent, "repository-coap", kDevice, kRepository, content));
    r.trace.back().cut_payload_size = 1024;
  }
  coap::TraceEntry note;
  note.time = r.trace_origin + std::chrono::milliseconds(130);
  note.channel = "repository-coap";
  note.note = "impairment: dropped (after block 7)";
  note.message.type = coap::MessageType::Non;
  r.trace.push_back(note);
  // A device that sends a path segment with bytes that are not UTF-8 and a control byte.
  auto odd = request(coap::code::Get, 0x0400, {"5", std::string("\xff\xfe\x01", 3)});
  r.trace.push_back(entry(r, 140, coap::Direction::Received, "lwm2m", kDevice, kServer, odd));
  r.trace.push_back(entry(r, 140.4, coap::Direction::Sent, "lwm2m", kDevice, kServer, ack(coap::code::NotFound, odd)));
  return r;
}

}  // namespace

CaseRecord sample_case(std::size_t index) {
  switch (index) {
    case 0: return passing_case();
    case 1: return failing_download();
    case 2: {
      auto r = base("Push", "WritesPackage", "FU-PUSH-001", Level::Should, Verdict::Skipped, 3400, 0.8);
      r.meta.needs = {record::Capability::Push};
      r.reason = "the device does not declare push";
      return r;
    }
    case 3: {
      auto r = base("Results", "FlashFull", "FU-RES-002", Level::Must, Verdict::NotTested, 3410, 0.6);
      r.meta.ets = 773;
      r.meta.faults = {record::Fault::FlashFull};
      r.reason = "the profile cannot inject flash_full on this device";
      return r;
    }
    case 4: {
      auto r = base("Results", "UpdateFails", "FU-RES-008", Level::Must, Verdict::Inconclusive, 3420, 5000);
      r.meta.ets = 779;
      r.reason = "the device did not return to State 0 / Result 0 after the reset write";
      return r;
    }
    case 5: {
      auto r = base("Transfer", "DownloadTime", "FU-INFO-001", Level::Info, Verdict::Info, 8500, 900);
      r.measurements = {{"download_ms", "812"}, {"bytes_per_firmware_byte", "1.03"}};
      timeline(r, 1, FirmwareResource::State, 0, "observe");
      timeline(r, 2, FirmwareResource::UpdateResult, 0, "observe");
      timeline(r, 100, FirmwareResource::State, 1, "notify");
      timeline(r, 800, FirmwareResource::State, 2, "notify");
      timeline(r, 850, FirmwareResource::State, 3, "notify");
      timeline(r, 880, FirmwareResource::State, 0, "read");
      timeline(r, 881, FirmwareResource::UpdateResult, 1, "read");
      r.transitions = {{0, 1, 0, "T1"}, {1, 2, 0, "T4"}, {2, 3, 0, "T8"}, {3, 0, 1, "T9"}};
      return r;
    }
    case 6: {
      auto r = base("Observe", "NotifiesEveryChange", "FU-OBS-002", Level::Should, Verdict::NonStrict, 9500, 300);
      r.reason = "State 1 was not notified (allowed for short transfers)";
      timeline(r, 1, FirmwareResource::State, 0, "observe");
      timeline(r, 2, FirmwareResource::UpdateResult, 0, "observe");
      timeline(r, 200, FirmwareResource::State, 2, "notify");
      r.transitions = {{0, 2, 0, "T1+T4"}};
      return r;
    }
    default: {
      auto r = base("Registration", "UpdatesLifetime", "FU-REG-009", Level::Should, Verdict::Fail, 9900, 50);
      r.findings = {record::Finding{record::Finding::Kind::Violation, "Waiting 30 s after the lifetime was written",
                                    "a Registration Update", "none arrived", "TS Core 6.2.2", "", {}, {}}};
      return r;
    }
  }
}

RunRecord sample_run() {
  RunRecord run;
  run.origin = kOrigin;
  run.run.version = "0.1.0";
  run.run.started_unix_ms = 1714564800000;  // 2024-05-01 12:00:00 UTC
  run.run.profile_path = "/profiles/device.yaml";
  run.run.profile_hash = "sha256:00ff";
  run.run.profile = nlohmann::json{{"device", {{"endpoint", "dut-1"}}}};
  run.run.device.endpoint = "dut-1";
  run.run.device.declared = nlohmann::json{{"pull", {"coap"}}, {"push", false}};
  run.run.device.read = nlohmann::json{{"lwm2m_version", "1.1"}, {"binding", "U"}};
  run.run.server_uri = "coap://" + kServer;
  run.run.server_address = kServer;
  for (std::size_t i = 0; i < 8; ++i) run.cases.push_back(sample_case(i));
  run.complete = true;
  run.ended_unix_ms = run.run.started_unix_ms + 10000;
  return run;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fotacheck-reports-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command, int timeout_seconds) {
  CommandResult result;
  std::string line = fmt::format("timeout {} {} 2>&1", timeout_seconds, command);
  FILE* pipe = ::popen(line.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace fc::reports::testing
