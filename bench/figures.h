// The summary figures the process benchmarks print: the median and the fastest of repetitions.
#pragma once

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>
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

// The main of a process benchmark: `NAME [REPS] [KIB]` (default 7 repetitions of 1 MiB) runs
// run(REPS, bytes); exit 1 when a check of the figures' premises failed (std::logic_error), 2
// when the set-up could not be made.
template <typename Run>
int process_bench_main(const char* name, int argc, char** argv, Run run) {
  try {
    int repetitions = argc > 1 ? std::stoi(argv[1]) : 7;
    std::size_t size = (argc > 2 ? std::stoul(argv[2]) : 1024) * 1024;
    return run(repetitions, size);
  } catch (const std::logic_error& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 2;
  }
}

}  // namespace fc::bench
