// The Uri-Query of Register and Update (TS Core §6.2.1, §6.2.2) parsed into fields.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fc::lwm2m {

struct RegistrationParams {
  std::optional<std::string> endpoint;       // ep
  std::optional<std::uint32_t> lifetime;     // lt, seconds
  std::optional<std::string> lwm2m_version;  // lwm2m
  std::optional<std::string> binding;        // b
  std::optional<std::string> sms;            // sms
  bool queue_mode = false;                   // Q (1.1+), or 'Q' inside b (1.0)
  std::map<std::string, std::optional<std::string>> unknown;  // anything else, kept for reports
};

class RegistrationParamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `queries` are the Uri-Query options as sent, one "key=value" or "key" each. Throws
// RegistrationParamError naming the parameter on: a duplicate key, `lt` not a positive decimal
// that fits 32 bits, an empty `ep`, `Q` with a value, a `b` with letters outside U T S N Q M H.
RegistrationParams parse_registration_params(const std::vector<std::string>& queries);

}  // namespace fc::lwm2m
