// What libcoap refused before a request could reach the server: a datagram that does not parse,
// a message larger than libcoap takes without Block1. Such a datagram is answered with RST by
// libcoap itself, so only libcoap's warnings, recorded as trace notes
// (coap::record_libcoap_warnings), say that anything arrived.
#pragma once

#include <string>
#include <vector>

#include "suite/coap/trace.h"

namespace fc::server {

// libcoap's warnings in `trace`, in order, each once with how often it came ("discard
// malformed PDU (2 times)"). libcoap names neither context nor peer, so a warning from another
// libcoap context of the run (the firmware repository's) is listed too.
std::vector<std::string> libcoap_rejections(const coap::Trace& trace);

// For a device that never registered: those warnings in a sentence, with what to do about a
// message that was too big ("... must be sent with Block1"); empty when there were none.
std::string describe_rejected_traffic(const coap::Trace& trace);

}  // namespace fc::server
