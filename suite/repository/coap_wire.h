// The few fields of a raw CoAP-over-UDP datagram the impairment relay needs (RFC 7252 §3),
// read without libcoap so the relay never depends on a context or a session.
#pragma once

#include <optional>
#include <string>

#include "suite/coap/message.h"
#include "suite/common/bytes.h"

namespace fc::repository {

struct WireMessage {
  coap::MessageType type = coap::MessageType::Con;
  coap::Code code;
  std::uint16_t message_id = 0;
  Bytes token;
  std::optional<coap::BlockOption> block2;
  std::size_t payload_size = 0;

  bool is_request() const { return code.is_request(); }
  bool is_response() const { return code.cls >= 2; }
  // "ACK 2.05 mid=7 tok=0a Block2:3/1/1024 payload=1024B": for trace notes.
  std::string summary() const;
};

// nullopt when the datagram is not a well-formed CoAP message (wrong version, token longer
// than 8 bytes, an option running past the end, a payload marker with nothing after it).
std::optional<WireMessage> parse_wire(ByteView datagram);

}  // namespace fc::repository
