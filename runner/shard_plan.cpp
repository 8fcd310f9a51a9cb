#include "runner/shard_plan.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

namespace fc::runner {

namespace fs = std::filesystem;

std::optional<ShardSpec> parse_shard(const std::string& text, std::string& problem) {
  auto slash = text.find('/');
  auto number = [](std::string_view part, unsigned& value) {
    auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    return error == std::errc{} && end == part.data() + part.size() && !part.empty();
  };
  ShardSpec spec;
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), spec.index) ||
      !number(std::string_view(text).substr(slash + 1), spec.count)) {
    problem = "--shard: expected K/N (this job's part K of N, e.g. 2/4), got '" + text + "'";
    return std::nullopt;
  }
  if (spec.count == 0 || spec.index == 0 || spec.index > spec.count) {
    problem = "--shard " + text + ": K must be 1 to N and N at least 1";
    return std::nullopt;
  }
  return spec;
}

RecordedDurations read_recorded_durations(const fs::path& results_or_folder) {
  auto file = fs::is_directory(results_or_folder) ? results_or_folder / "results.json" : results_or_folder;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("--durations: cannot open " + file.string());
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("--durations: " + file.string() + " is not a results.json: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("cases") || !doc["cases"].is_array())
    throw std::runtime_error("--durations: " + file.string() + " has no \"cases\" array (is it a results.json?)");
  RecordedDurations durations;
  for (const auto& c : doc["cases"]) {
    if (!c.is_object() || !c.contains("id") || !c.contains("duration_ms") || !c["id"].is_string() ||
        !c["duration_ms"].is_number())
      continue;
    // A case an interrupted run did not reach took no time: it says nothing about the case.
    if (c.value("reason", "").starts_with("not run:")) continue;
    durations[c["id"].get<std::string>()] = c["duration_ms"].get<double>();
  }
  return durations;
}

std::vector<std::vector<const record::CaseMeta*>> balance_cases(const std::vector<const record::CaseMeta*>& cases,
                                                                const RecordedDurations& durations, unsigned count) {
  if (count == 0) count = 1;
  std::vector<double> known;
  for (const auto& [id, ms] : durations) known.push_back(ms);
  double fallback = kDefaultCaseMs;
  if (!known.empty()) {
    std::nth_element(known.begin(), known.begin() + static_cast<std::ptrdiff_t>(known.size() / 2), known.end());
    fallback = known[known.size() / 2];
  }
  std::vector<double> cost(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto found = durations.find(cases[i]->id);
    cost[i] = found == durations.end() ? fallback : found->second;
  }
  // Longest first; equal durations keep catalogue order, so the split depends on nothing else.
  std::vector<std::size_t> order(cases.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(count, 0.0);
  std::vector<std::vector<std::size_t>> parts(count);
  for (auto i : order) {
    auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += cost[i];
    parts[lightest].push_back(i);
  }
  std::vector<std::vector<const record::CaseMeta*>> result(count);
  for (unsigned p = 0; p < count; ++p) {
    std::sort(parts[p].begin(), parts[p].end());
    for (auto i : parts[p]) result[p].push_back(cases[i]);
  }
  return result;
}

}  // namespace fc::runner
