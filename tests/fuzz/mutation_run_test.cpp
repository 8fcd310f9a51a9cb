// A short fuzz run in every build, with no Clang needed: each target gets a fixed number of
// inputs made by mutating its committed seeds with a fixed-seed generator. It is blind (no
// coverage feedback), so it finds less than libFuzzer, but it runs in `scripts/test` and CI on
// every change, and the same inputs every time, so whatever it finds reproduces. The
// coverage-guided runs are `scripts/fuzz` (docs/fuzzing.md).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_targets.h"

namespace fc::fuzz {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpusDir = fs::path(FOTACHECK_SOURCE_DIR) / "tests/fuzz/corpus";
const fs::path kFindingsDir = fs::path(FOTACHECK_BINARY_DIR) / "tests/fuzz/findings";

// Inputs per target; FOTACHECK_FUZZ_MUTATIONS overrides (a longer blind run by hand).
std::size_t mutations_per_target() {
  if (const char* text = std::getenv("FOTACHECK_FUZZ_MUTATIONS")) {
    if (auto n = std::strtoul(text, nullptr, 10); n > 0) return n;
  }
  return 20000;
}

std::vector<Bytes> seeds_of(std::string_view target) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCorpusDir / target)) {
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // directory order differs between machines
  std::vector<Bytes> seeds;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    seeds.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  return seeds;
}

// FNV-1a of the target's name: a seed that is the same with every standard library
// (std::hash is not), so a finding reproduces on any machine.
std::uint64_t seed_of(std::string_view target) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : target) hash = (hash ^ static_cast<std::uint8_t>(c)) * 1099511628211ull;
  return hash;
}

// The byte-level mutations libFuzzer's default mutator also makes: flips, boundary values,
// inserts, erases, repeated chunks, truncation and splices with another seed.
class Mutator {
 public:
  Mutator(std::string_view target, const std::vector<Bytes>& seeds)
      : random_(seed_of(target)), seeds_(seeds) {}

  Bytes next() {
    Bytes input = seeds_[pick(seeds_.size())];
    const auto rounds = 1 + pick(4);
    for (std::size_t i = 0; i < rounds; ++i) mutate(input);
    return input;
  }

 private:
  std::size_t pick(std::size_t below) { return below == 0 ? 0 : random_() % below; }

  void mutate(Bytes& input) {
    static constexpr std::uint8_t kBoundary[] = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x1f, 0x20, 0x3a, 0x22, 0xf6};
    const auto at = pick(input.size() + 1);
    switch (pick(8)) {
      case 0:
        if (at < input.size()) input[at] ^= static_cast<std::uint8_t>(1u << pick(8));
        break;
      case 1:
        if (at < input.size()) input[at] = kBoundary[pick(std::size(kBoundary))];
        break;
      case 2:
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(random_()));
        break;
      case 3: {
        const auto count = std::min(input.size() - std::min(at, input.size()), 1 + pick(8));
        input.erase(input.begin() + static_cast<std::ptrdiff_t>(at), input.begin() + static_cast<std::ptrdiff_t>(at + count));
        break;
      }
      case 4: {
        if (input.empty()) break;
        const auto from = pick(input.size());
        const auto count = std::min(input.size() - from, 1 + pick(16));
        Bytes chunk(input.begin() + static_cast<std::ptrdiff_t>(from), input.begin() + static_cast<std::ptrdiff_t>(from + count));
        input.insert(input.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
        break;
      }
      case 5:
        input.resize(at);
        break;
      case 6: {
        const auto& other = seeds_[pick(seeds_.size())];
        const auto from = pick(other.size() + 1);
        input.resize(at);
        input.insert(input.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      default:
        if (at < input.size()) input[at] = static_cast<std::uint8_t>(input[at] + 1 - 2 * pick(2));
        break;
    }
  }

  std::mt19937_64 random_;
  const std::vector<Bytes>& seeds_;
};

// A crash ends the test process before any assertion can say which input did it, so the input
// under test is written to an open file from the signal handler (write(2) is async-signal-safe),
// which then hands the signal on to whoever handled it before (AddressSanitizer's report under
// `scripts/test --sanitize`, else the default: the process dies of it).
struct CrashWitness {
  static constexpr int kSignals[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
  static inline int fd = -1;
  static inline const Bytes* input = nullptr;
  static inline struct sigaction previous[NSIG];

  static void on_crash(int signal) {
    if (fd >= 0 && input != nullptr) {
      [[maybe_unused]] auto written = ::write(fd, input->data(), input->size());
    }
    ::sigaction(signal, &previous[signal], nullptr);
    ::raise(signal);
  }

  explicit CrashWitness(const fs::path& file) {
    fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct sigaction witness {};
    witness.sa_handler = on_crash;
    sigemptyset(&witness.sa_mask);
    for (int signal : kSignals) ::sigaction(signal, &witness, &previous[signal]);
  }
  ~CrashWitness() {
    for (int signal : kSignals) ::sigaction(signal, &previous[signal], nullptr);
    input = nullptr;
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

fs::path save_finding(std::string_view target, std::size_t number, const Bytes& input) {
  fs::create_directories(kFindingsDir);
  const auto file = kFindingsDir / (std::string(target) + "-" + std::to_string(number));
  std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(input.data()),
                                              static_cast<std::streamsize>(input.size()));
  return file;
}

class MutationRun : public testing::TestWithParam<FuzzTarget> {};

TEST_P(MutationRun, MutatedSeedsRunClean) {
  const auto& target = GetParam();
  const auto seeds = seeds_of(target.name);
  ASSERT_FALSE(seeds.empty()) << "no seed corpus for " << target.name;
  fs::create_directories(kFindingsDir);
  const auto crash_file = kFindingsDir / (std::string(target.name) + "-crash");
  CrashWitness witness(crash_file);

  Mutator mutator(target.name, seeds);
  const auto total = mutations_per_target();
  std::size_t findings = 0;
  for (std::size_t n = 0; n < total && findings < 3; ++n) {
    const Bytes input = mutator.next();
    CrashWitness::input = &input;
    try {
      target.run(input);
    } catch (const std::exception& e) {
      ++findings;
      ADD_FAILURE() << target.name << " input " << n << " (" << input.size() << " bytes, saved as "
                    << save_finding(target.name, n, input) << "): " << e.what()
                    << "\nreplay it by copying the file into tests/fuzz/regressions/" << target.name << "/";
    }
    CrashWitness::input = nullptr;
  }
  fs::remove(crash_file);  // no crash: nothing to witness
}

INSTANTIATE_TEST_SUITE_P(Targets, MutationRun,
                         testing::ValuesIn(fuzz_targets().begin(), fuzz_targets().end()),
                         [](const testing::TestParamInfo<FuzzTarget>& param) {
                           auto name = std::string(param.param.name);
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
}  // namespace fc::fuzz
