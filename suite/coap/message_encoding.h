// CoAP wire encoding (RFC 7252 §3) of a decoded Message: datagrams rebuilt for pcap files, and
// the bytes a transfer put on the wire (suite/record/radio_cost.h).
#pragma once

#include "suite/coap/message.h"
#include "suite/common/bytes.h"

namespace fc::coap {

// Header, token (RFC 8974 extended lengths past 8 bytes), the options Message knows in
// ascending number with deltas, and the payload after 0xFF. Options Message does not keep
// (If-Match, Uri-Host, Proxy-*, ...) are absent from the result.
Bytes encode_coap(const Message& message);

}  // namespace fc::coap
