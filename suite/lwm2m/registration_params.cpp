// Register/Update Uri-Query parameters (TS Core §6.2.1 Table 6.2.1.1-1, §6.2.2).
#include "suite/lwm2m/registration_params.h"

#include <charconv>
#include <set>

namespace fc::lwm2m {
namespace {

[[noreturn]] void fail(const std::string& query, const std::string& problem) {
  throw RegistrationParamError("Uri-Query '" + query + "': " + problem);
}

std::string required_value(const std::string& query, const std::string& key,
                           const std::optional<std::string>& value) {
  if (!value) fail(query, key + " needs a value");
  return *value;
}

std::uint32_t parse_lifetime(const std::string& query, const std::string& text) {
  std::uint32_t seconds = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
  if (text.empty() || ec != std::errc{} || ptr != end || seconds == 0) {
    fail(query, "lt must be a positive decimal number of seconds that fits 32 bits");
  }
  return seconds;
}

// 1.0 bindings are U, UQ, S, SQ, US, UQS; 1.1+ lists transports (U T S N) and Q moved out,
// but clients mix both, so any of the letters in any order is accepted.
void check_binding(const std::string& query, const std::string& binding) {
  constexpr std::string_view kLetters = "UTSNQMH";
  if (binding.empty()) fail(query, "b is empty");
  for (const char letter : binding) {
    if (kLetters.find(letter) == std::string_view::npos) {
      fail(query, std::string("b has letter '") + letter + "', expected only U T S N Q M H");
    }
  }
}

}  // namespace

RegistrationParams parse_registration_params(const std::vector<std::string>& queries) {
  RegistrationParams params;
  std::set<std::string> seen;
  for (const auto& query : queries) {
    const auto equals = query.find('=');
    const auto key = query.substr(0, equals);
    const auto value = equals == std::string::npos
                           ? std::optional<std::string>{}
                           : std::optional<std::string>{query.substr(equals + 1)};
    if (key.empty()) fail(query, "empty parameter name");
    if (!seen.insert(key).second) fail(query, "duplicate parameter " + key);

    if (key == "ep") {
      params.endpoint = required_value(query, key, value);
      if (params.endpoint->empty()) fail(query, "ep is empty");
    } else if (key == "lt") {
      params.lifetime = parse_lifetime(query, required_value(query, key, value));
    } else if (key == "lwm2m") {
      params.lwm2m_version = required_value(query, key, value);
      if (params.lwm2m_version->empty()) fail(query, "lwm2m is empty");
    } else if (key == "b") {
      params.binding = required_value(query, key, value);
      check_binding(query, *params.binding);
      if (params.binding->find('Q') != std::string::npos) params.queue_mode = true;
    } else if (key == "sms") {
      params.sms = required_value(query, key, value);
    } else if (key == "Q") {
      if (value) fail(query, "Q takes no value");
      params.queue_mode = true;
    } else {
      params.unknown.emplace(key, value);
    }
  }
  return params;
}

}  // namespace fc::lwm2m
