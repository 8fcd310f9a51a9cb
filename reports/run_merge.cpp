#include "reports/run_merge.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>

#include "reports/pcap_writer.h"
#include "reports/profile_json.h"
#include "reports/report_set.h"
#include "reports/results_json.h"
#include "suite/record/case_meta.h"

namespace fc::reports {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Shard {
  fs::path file;
  json document;
  RunRecord record;  // parsed: the checks below and the reader's validation of the file
};

Shard read_shard(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ResultsFormatError(file.string() + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  Shard shard{file, {}, parse_results(text.str(), file.string())};
  shard.document = json::parse(text.str());
  return shard;
}

// Shards of one device type: the same redacted profile and the same suite version.
void check_same_device_type(const Shard& first, const Shard& other) {
  auto differ = [&](const char* what, const std::string& a, const std::string& b) {
    throw MergeError(fmt::format(
        "{} and {} are not shards of one run: their {} differ (\"{}\" and \"{}\"); --merge joins shards of one "
        "device type and profile, `fotacheck report A.json B.json` compares different devices",
        first.file.string(), other.file.string(), what, a, b));
  };
  const auto &a = first.record.run, &b = other.record.run;
  if (a.profile_hash != b.profile_hash) differ("profiles (profile_hash)", a.profile_hash, b.profile_hash);
  if (a.device.name != b.device.name) differ("device names", a.device.name, b.device.name);
  if (a.version != b.version) differ("fotacheck versions", a.version, b.version);
}

std::size_t catalogue_position(const std::string& area, const std::string& name) {
  const auto& all = record::Catalogue::instance().all();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].area == area && all[i].name == name) return i;
  return std::numeric_limits<std::size_t>::max();
}

}  // namespace

RunRecord merge_runs(const std::vector<fs::path>& inputs) {
  if (inputs.empty()) throw MergeError("--merge: name the results.json of every shard");
  std::vector<Shard> shards;
  for (const auto& input : inputs) shards.push_back(read_shard(input));
  for (std::size_t i = 1; i < shards.size(); ++i) check_same_device_type(shards.front(), shards[i]);

  std::map<std::string, fs::path> owner;  // "Area.Name" → the shard that ran it
  for (const auto& shard : shards)
    for (const auto& c : shard.record.cases) {
      auto key = c.meta.area + "." + c.meta.name;
      auto [at, fresh] = owner.emplace(key, shard.file);
      if (!fresh)
        throw MergeError(fmt::format("{} is in both {} and {}: shards must not overlap (each case in exactly one)",
                                     case_label(c), at->second.string(), shard.file.string()));
    }

  // Endpoints name the devices; two shards with the same endpoint get their input number too.
  std::map<std::string, int> endpoint_uses;
  for (const auto& shard : shards) ++endpoint_uses[shard.record.run.device.endpoint];
  auto earliest = std::min_element(shards.begin(), shards.end(), [](const Shard& a, const Shard& b) {
    return a.record.run.started_unix_ms < b.record.run.started_unix_ms;
  });
  const auto base_ms = earliest->record.run.started_unix_ms;

  struct Placed {
    std::size_t position;
    double started_ms;
    json value;
  };
  std::vector<Placed> cases;
  json head = earliest->document;
  head.erase("cases");
  bool complete = true;
  std::int64_t ended = 0;
  std::string diagnosis, interrupted_by;
  std::vector<std::string> endpoints;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    auto& shard = shards[i];
    const auto& run = shard.record.run;
    // A lab device by its name in the profile (unique there); any other by its endpoint.
    std::string device = run.device.lab_device.empty() ? run.device.endpoint : run.device.lab_device;
    if (device.empty() || (run.device.lab_device.empty() && endpoint_uses[device] > 1))
      device += fmt::format("{}#{}", device.empty() ? "" : " ", i + 1);
    endpoints.push_back(device);
    const double shift = static_cast<double>(run.started_unix_ms - base_ms);
    for (auto& c : shard.document["cases"]) {
      c["started_ms"] = c.value("started_ms", 0.0) + shift;
      if (!c.contains("device")) c["device"] = device;
      cases.push_back({catalogue_position(c.value("area", ""), c.value("name", "")), c["started_ms"].get<double>(),
                       std::move(c)});
    }
    complete = complete && shard.record.complete;
    ended = std::max(ended, shard.record.ended_unix_ms);
    if (!shard.record.diagnosis.empty())
      diagnosis += (diagnosis.empty() ? "" : "; ") + device + ": " + shard.record.diagnosis;
    if (interrupted_by.empty()) interrupted_by = shard.record.interrupted_by;
  }
  std::stable_sort(cases.begin(), cases.end(), [](const Placed& a, const Placed& b) {
    return a.position != b.position ? a.position < b.position : a.started_ms < b.started_ms;
  });
  json document = head;
  document["cases"] = json::array();
  for (auto& c : cases) document["cases"].push_back(std::move(c.value));
  document["complete"] = complete;
  auto merged = parse_results(document.dump(-1, ' ', false, json::error_handler_t::replace), "the merged run");
  merged.complete = complete;
  merged.ended_unix_ms = complete ? ended : 0;
  merged.diagnosis = diagnosis;
  merged.interrupted_by = interrupted_by;
  std::string joined;
  for (const auto& e : endpoints) joined += (joined.empty() ? "" : ", ") + e;
  merged.run.device.endpoint = joined;
  // The devices are named case by case; the profile shown is what the lab's devices share.
  if (!merged.run.device.lab_device.empty()) merged.run.profile = lab_shared_profile(merged.run.profile);
  merged.run.device.lab_device.clear();
  return merged;
}

void write_merged_run(const RunRecord& merged, const std::vector<fs::path>& inputs, const fs::path& out_dir,
                      const std::string& report_url) {
  fs::create_directories(out_dir);
  // The wire as captured beats a rebuild from the trace: each input's pcaps come along.
  for (const auto& input : inputs) {
    auto from = input.parent_path() / kPcapFolder;
    std::error_code ec;
    if (!fs::is_directory(from, ec) || fs::equivalent(from.parent_path(), out_dir, ec)) continue;
    fs::create_directories(out_dir / kPcapFolder);
    for (const auto& entry : fs::directory_iterator(from, ec)) {
      auto to = out_dir / kPcapFolder / entry.path().filename();
      if (entry.is_regular_file() && !fs::exists(to)) fs::copy_file(entry.path(), to);
    }
  }
  write_atomically(out_dir / kResultsFile, results_document(merged));
  write_derived_reports(merged, out_dir, report_url);
}

void merge_command(const std::vector<fs::path>& inputs, const fs::path& out_dir, std::ostream& out,
                   const std::string& report_url) {
  if (inputs.size() < 2) throw MergeError("name the results.json of at least two shards");
  auto merged = merge_runs(inputs);
  auto dir = out_dir.empty() ? fs::path(".") : out_dir;
  for (const auto& input : inputs)
    if (fs::exists(dir / kResultsFile) && fs::equivalent(input, dir / kResultsFile))
      throw MergeError("--out " + dir.string() + " holds the input " + input.string() +
                       "; write the merged run into another folder");
  write_merged_run(merged, inputs, dir, report_url);
  out << "merged " << inputs.size() << " shards (" << merged.cases.size() << " cases"
      << (merged.complete ? "" : ", run incomplete") << ") into " << (dir / kResultsFile).string()
      << " and its reports\n";
  out << conclusion_line(merged) << "\n";
}

}  // namespace fc::reports
