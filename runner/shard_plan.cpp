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

namespace {

// Reads only what the split needs, cases[].id, duration_ms and reason, as the parser passes
// them: a results.json of a large run is never held in memory.
class DurationsReader : public nlohmann::json_sax<nlohmann::json> {
 public:
  RecordedDurations durations;
  bool saw_cases = false;
  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t value) override { return number(static_cast<double>(value)); }
  bool number_unsigned(number_unsigned_t value) override { return number(static_cast<double>(value)); }
  bool number_float(number_float_t value, const string_t&) override { return number(value); }
  bool string(string_t& value) override {
    if (in_case() && key_ == "id") case_.id = value, case_.has_id = true;
    else if (in_case() && key_ == "reason") case_.reason = value;
    return true;
  }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    open_.push_back('o');
    if (in_case()) case_ = {};
    return true;
  }
  bool end_object() override {
    // A case an interrupted run did not reach took no time: it says nothing about the case.
    if (in_case() && case_.has_id && case_.ms && !case_.reason.starts_with("not run:")) durations[case_.id] = *case_.ms;
    open_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (open_.size() == 1 && open_[0] == 'o' && key_ == "cases") saw_cases = true, cases_open_ = true;
    open_.push_back('a');
    return true;
  }
  bool end_array() override {
    if (open_.size() == 2 && cases_open_) cases_open_ = false;
    open_.pop_back();
    return true;
  }
  bool key(string_t& value) override {
    key_ = value;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error = e.what();
    return false;
  }

 private:
  struct Case {
    std::string id;
    bool has_id = false;
    std::optional<double> ms;
    std::string reason;
  };
  std::vector<char> open_;  // the containers the parser is in: 'o' object, 'a' array
  std::string key_;         // the last key read
  bool cases_open_ = false;
  Case case_;

  // Directly in one element of the top-level "cases" array.
  bool in_case() const { return cases_open_ && open_.size() == 3 && open_[2] == 'o'; }
  bool number(double value) {
    if (in_case() && key_ == "duration_ms") case_.ms = value;
    return true;
  }
};

}  // namespace

RecordedDurations read_recorded_durations(const fs::path& results_or_folder) {
  auto file = fs::is_directory(results_or_folder) ? results_or_folder / "results.json" : results_or_folder;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("--durations: cannot open " + file.string());
  DurationsReader reader;
  if (!nlohmann::json::sax_parse(in, &reader))
    throw std::runtime_error("--durations: " + file.string() + " is not a results.json: " + reader.error);
  if (!reader.saw_cases)
    throw std::runtime_error("--durations: " + file.string() + " has no \"cases\" array (is it a results.json?)");
  return reader.durations;
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
