#include "suite/coap/wire_listeners.h"

#include <map>
#include <mutex>
#include <utility>

namespace fc::coap {

namespace {
std::mutex listeners_mutex;
std::map<std::pair<bool, std::uint16_t>, WireService>& listeners() {
  static std::map<std::pair<bool, std::uint16_t>, WireService> m;
  return m;
}
bool over_tcp(WireService s) { return s == WireService::CoapTcp || s == WireService::CoapsTcp || s == WireService::Http; }
}  // namespace

void note_listener(std::uint16_t port, WireService service) {
  std::lock_guard lock(listeners_mutex);
  listeners()[{over_tcp(service), port}] = service;
}

WireService service_of(Transport transport) {
  switch (transport) {
    case Transport::Udp: return WireService::Coap;
    case Transport::Dtls: return WireService::Coaps;
    case Transport::Tcp: return WireService::CoapTcp;
    case Transport::Tls: return WireService::CoapsTcp;
  }
  return WireService::Coap;
}

std::optional<WireService> listener_service(std::uint16_t port, bool tcp) {
  std::lock_guard lock(listeners_mutex);
  auto it = listeners().find({tcp, port});
  if (it == listeners().end()) return std::nullopt;
  return it->second;
}

std::optional<std::uint16_t> well_known_port(WireService service) {
  switch (service) {
    case WireService::Coap:
    case WireService::CoapTcp: return 5683;
    case WireService::Coaps:
    case WireService::CoapsTcp: return 5684;
    case WireService::Http: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace fc::coap
