// A failed check as data: what was done, what the requirement wanted, what the device did, and
// the message or timeline point it concerns. Reports print findings; they never read a test
// framework's text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "suite/common/clock.h"

namespace fc::record {

struct Finding {
  // A violation is the device's; an error is the suite's own trouble on this case (an
  // exception in setup, an internal check), never a verdict about the device.
  enum class Kind { Violation, Error };
  Kind kind = Kind::Violation;
  std::string action;       // "Execute /5/0/2 (Update) in State 0 (Idle)"
  std::string expected;     // "4.05 Method Not Allowed"
  std::string observed;     // "2.04 Changed"
  std::string requirement;  // the clause, when it is not the case's own: "reference §3.1"
  std::string detail;       // more lines: the decode error, the values seen
  std::optional<std::size_t> trace_index;  // the message in the case's trace it concerns
  std::optional<Clock::time_point> at;     // the timeline point it concerns
};

// One sentence a person reads without C++: "Execute /5/0/2 in Idle: expected 4.05 Method Not
// Allowed, got 2.04 Changed (TS Core E.6.1; ETS 772)". `clause` is the case's own clause,
// used when the finding names none.
std::string headline(const Finding& finding, const std::string& clause = {});

}  // namespace fc::record
