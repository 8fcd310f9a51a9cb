#include "suite/server/dm_response.h"

#include <fmt/format.h>

namespace fc::server {

std::optional<lwm2m::Value> DmResponse::value(const lwm2m::Path& path) const {
  for (const auto& r : records)
    if (r.path == path) return r.value;
  return std::nullopt;
}

std::string DmResponse::describe() const {
  if (!delivered) return "no response: " + error;
  std::string s = code.str();
  if (content_format) s += fmt::format(", CF {}", *content_format);
  if (decode_error) return s + ", payload does not decode: " + *decode_error;
  if (!records.empty()) {
    s += fmt::format(", {} record{}:", records.size(), records.size() == 1 ? "" : "s");
    std::size_t shown = 0;
    for (const auto& r : records) {
      if (++shown > 12) {
        s += " …";
        break;
      }
      s += " " + r.path.str() + "=" + r.value.describe();
    }
  } else if (!payload.empty()) {
    s += fmt::format(", {} bytes '{}'", payload.size(), printable(payload, 48));
  }
  if (!error.empty()) s += " (" + error + ")";
  return s;
}

}  // namespace fc::server
