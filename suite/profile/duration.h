// Durations as profiles write them: "500ms", "2s", "1.5s", "2m", "1h", or plain seconds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "suite/common/clock.h"

namespace fc::profile {

// nullopt for anything else, including signs, spaces, and values finer than a millisecond
// (every deadline in the suite is kept in whole milliseconds).
std::optional<Duration> parse_duration(std::string_view text);

// The shortest form parse_duration reads back: "2s", "500ms", "1.5s", "2m", "1h".
std::string format_duration(Duration duration);

}  // namespace fc::profile
