#include "suite/profile/duration.h"

#include <cstdint>

namespace fc::profile {

namespace {

std::optional<std::int64_t> unit_millis(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1000;
  if (unit == "ms") return 1;
  if (unit == "m") return 60'000;
  if (unit == "h") return 3'600'000;
  return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  // Decimal arithmetic on the digits keeps "0.1s" exact, which a double would not.
  std::int64_t mantissa = 0;
  std::int64_t scale = 1;  // 10^(digits after the point)
  std::size_t digits = 0;
  bool after_point = false;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !after_point) {
      after_point = true;
      continue;
    }
    if (!is_digit(c)) break;
    if (++digits > 15) return std::nullopt;
    mantissa = mantissa * 10 + (c - '0');
    if (after_point) scale *= 10;
  }
  if (digits == 0 || (after_point && scale == 1)) return std::nullopt;  // "", ".", "2."
  const auto unit = unit_millis(text.substr(i));
  if (!unit) return std::nullopt;
  const std::int64_t scaled = mantissa * *unit;
  if (scaled % scale != 0) return std::nullopt;
  return Duration(scaled / scale);
}

std::string format_duration(Duration duration) {
  const std::int64_t ms = duration.count();
  if (ms != 0 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::string fraction = std::to_string(1000 + ms % 1000).substr(1);  // "050" for 50 ms
  while (fraction.back() == '0') fraction.pop_back();
  return std::to_string(ms / 1000) + "." + fraction + "s";
}

}  // namespace fc::profile
