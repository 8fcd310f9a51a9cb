// A fresh directory per test, removed afterwards, and a bounded wait for a condition.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "suite/common/clock.h"

namespace fc::adapters::testing {

class TempWorkdir {
 public:
  TempWorkdir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "fotacheck-adapters-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempWorkdir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempWorkdir(const TempWorkdir&) = delete;
  TempWorkdir& operator=(const TempWorkdir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Polls `condition` every 10 ms until it holds or `budget` passes; returns its last value.
inline bool eventually(const std::function<bool()>& condition, Duration budget = 3s) {
  const Deadline deadline(budget);
  while (!condition()) {
    if (deadline.passed()) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

}  // namespace fc::adapters::testing
