// libcoap's process-wide set-up: started once, its log routed into spdlog.
#pragma once

namespace fc::coap {

// Idempotent; safe to call from every constructor that needs libcoap.
void ensure_libcoap_started();

}  // namespace fc::coap
