// The summary figures the process benchmarks print: the median and the fastest of repetitions.
#pragma once

#include <algorithm>
#include <vector>

namespace fc::bench {

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// What the code costs when the shared machine leaves it alone.
inline double fastest(const std::vector<double>& v) { return v.empty() ? 0 : *std::min_element(v.begin(), v.end()); }

// One field of every sample: column(samples, [](const Sample& s) { return s.wall_ms; }).
template <typename Sample, typename Field>
std::vector<double> column(const std::vector<Sample>& samples, Field field) {
  std::vector<double> out;
  for (const auto& s : samples) out.push_back(field(s));
  return out;
}

}  // namespace fc::bench
