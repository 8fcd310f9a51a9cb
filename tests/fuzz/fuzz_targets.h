// The fuzzed parsers, one entry per target: shared by the libFuzzer binaries and by the replay
// test that runs the committed seed corpora and regression inputs in every normal build.
#pragma once

#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::fuzz {

// A broken property (a decoded payload that will not encode back the same, an error offset
// past the input, ...). Crashes, sanitizer reports and unexpected exceptions are findings too.
class Finding : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

struct FuzzTarget {
  std::string_view name;  // also the folder of its corpus and regressions: "senml-json"
  void (*run)(ByteView input);
};

// GoogleTest names a parameter by this rather than by its bytes.
inline void PrintTo(const FuzzTarget& target, std::ostream* out) { *out << target.name; }

std::span<const FuzzTarget> fuzz_targets();
// nullptr for an unknown name.
const FuzzTarget* find_fuzz_target(std::string_view name);

}  // namespace fc::fuzz
