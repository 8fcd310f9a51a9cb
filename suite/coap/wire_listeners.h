// The ports this process serves on, and what it serves there: a wire capture shows a server
// port under its IANA number so that Wireshark decodes it without a Decode As rule.
#pragma once

#include <cstdint>
#include <optional>

#include "suite/coap/transport.h"

namespace fc::coap {

enum class WireService { Coap, Coaps, CoapTcp, CoapsTcp, Http };

// Called by whatever binds a listening socket (CoapContext::listen, the impairment relay, the
// HTTP repository). Thread-safe; a port bound again later simply keeps its newest service.
void note_listener(std::uint16_t port, WireService service);
WireService service_of(Transport transport);
// What `port` serves on UDP (`tcp` false) or TCP; nullopt for a port nothing here listens on.
std::optional<WireService> listener_service(std::uint16_t port, bool tcp);
// 5683 for coap and coap+tcp, 5684 for coaps and coaps+tcp; nullopt for HTTP (Wireshark finds
// HTTP on any TCP port by its heuristic).
std::optional<std::uint16_t> well_known_port(WireService service);

}  // namespace fc::coap
