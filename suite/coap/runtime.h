// libcoap's process-wide set-up: started once, its log routed into spdlog.
#pragma once

#include <string>

namespace fc::coap {

class Trace;

// Idempotent; safe to call from every constructor that needs libcoap.
void ensure_libcoap_started();

// Also records libcoap's warnings (e.g. "discard malformed PDU" for a datagram that does not
// parse) as notes in `trace` on `channel`; nullptr stops it. libcoap's log line names neither
// the context nor the peer, so the note carries only what libcoap said. Set it from the loop's
// thread; the Trace must outlive the setting.
void record_libcoap_warnings(Trace* trace, std::string channel);

}  // namespace fc::coap
