#include "suite/server/rejected_traffic.h"

#include <coap3/coap.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace fc::server {

std::vector<std::string> libcoap_rejections(const coap::Trace& trace) {
  constexpr std::string_view prefix = "libcoap: ";
  std::vector<std::pair<std::string, std::size_t>> seen;
  for (const auto& entry : trace.entries()) {
    if (!entry.peer.empty() || !entry.note.starts_with(prefix)) continue;
    std::string warning = entry.note.substr(prefix.size());
    auto same = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == warning; });
    if (same == seen.end()) {
      seen.emplace_back(std::move(warning), 1);
    } else {
      ++same->second;
    }
  }
  std::vector<std::string> out;
  for (const auto& [warning, count] : seen)
    out.push_back(count == 1 ? warning : fmt::format("{} ({} times)", warning, count));
  return out;
}

std::string describe_rejected_traffic(const coap::Trace& trace) {
  const auto rejected = libcoap_rejections(trace);
  if (rejected.empty()) return {};
  std::string text = "The server received no request it could read; libcoap rejected what arrived:";
  bool too_big = false;
  for (const auto& warning : rejected) {
    text += "\n  " + warning;
    too_big = too_big || warning.find("too big") != std::string::npos;
  }
  if (too_big)
    text += fmt::format("\nA message larger than libcoap takes in one datagram ({} bytes) must be sent with Block1 "
                        "(RFC 7959 §2.3), as a long Register must.",
                        COAP_DEFAULT_MTU);
  return text;
}

}  // namespace fc::server
