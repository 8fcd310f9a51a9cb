// libFuzzer entry point for one target, chosen when the binary is built
// (FOTACHECK_FUZZ_TARGET, e.g. "senml-json"); see docs/fuzzing.md.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tests/fuzz/fuzz_targets.h"

namespace {

const fc::fuzz::FuzzTarget& target() {
  static const auto* found = fc::fuzz::find_fuzz_target(FOTACHECK_FUZZ_TARGET);
  if (found == nullptr) {
    std::fprintf(stderr, "unknown fuzz target %s\n", FOTACHECK_FUZZ_TARGET);
    std::abort();
  }
  return *found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    target().run(fc::ByteView(data, size));
  } catch (const std::exception& e) {
    // Anything escaping a target is a finding: abort so libFuzzer saves the input.
    std::fprintf(stderr, "fuzz target %s: %s\n", FOTACHECK_FUZZ_TARGET, e.what());
    std::abort();
  }
  return 0;
}
