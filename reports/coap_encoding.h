// CoAP wire encoding (RFC 7252 §3) of a decoded Message, to rebuild datagrams for pcap files.
#pragma once

#include "suite/coap/message.h"
#include "suite/common/bytes.h"

namespace fc::reports {

// Header, token (RFC 8974 extended lengths past 8 bytes), the options Message knows in
// ascending number with deltas, and the payload after 0xFF. Options Message does not keep
// (If-Match, Uri-Host, Proxy-*, ...) are absent from the result.
Bytes encode_coap(const coap::Message& message);

}  // namespace fc::reports
