// Runs every committed seed and regression input through its fuzz target once, in every build
// (no libFuzzer needed), so a fixed finding stays fixed. Folder names are target names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/fuzz/fuzz_targets.h"

namespace fc::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kFuzzDir = fs::path(FOTACHECK_SOURCE_DIR) / "tests/fuzz";

Bytes read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs the inputs under kFuzzDir/<kind>/<target>/; returns how many there were.
int replay(std::string_view kind, const FuzzTarget& target) {
  const auto folder = kFuzzDir / kind / target.name;
  if (!fs::is_directory(folder)) return 0;
  int inputs = 0;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
    ++inputs;
    try {
      target.run(read_file(entry.path()));
    } catch (const std::exception& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
    }
  }
  return inputs;
}

class CorpusReplay : public testing::TestWithParam<FuzzTarget> {};

TEST_P(CorpusReplay, SeedsAndRegressionsRunClean) {
  EXPECT_GT(replay("corpus", GetParam()), 0) << "no seed corpus for " << GetParam().name;
  replay("regressions", GetParam());
}

INSTANTIATE_TEST_SUITE_P(Targets, CorpusReplay,
                         testing::ValuesIn(fuzz_targets().begin(), fuzz_targets().end()),
                         [](const testing::TestParamInfo<FuzzTarget>& param) {
                           auto name = std::string(param.param.name);
                           for (auto& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(CorpusReplay, EveryFolderNamesATarget) {
  for (const auto* kind : {"corpus", "regressions"}) {
    if (!fs::is_directory(kFuzzDir / kind)) continue;
    for (const auto& entry : fs::directory_iterator(kFuzzDir / kind)) {
      EXPECT_NE(find_fuzz_target(entry.path().filename().string()), nullptr) << entry.path();
    }
  }
}

}  // namespace
}  // namespace fc::fuzz
