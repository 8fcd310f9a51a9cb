// The outcome of one device-management operation: what came back, decoded, or why nothing did.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "suite/coap/code.h"
#include "suite/coap/message.h"
#include "suite/common/bytes.h"
#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/link_format.h"
#include "suite/lwm2m/value.h"

namespace fc::server {

// One Block1 exchange of a block-wise write, as the device answered it.
struct BlockExchange {
  coap::BlockOption sent;
  coap::Code answer;
  std::optional<coap::BlockOption> answered_block1;  // the Block1 option echoed, if any
};

struct DmResponse {
  std::string request;      // what was asked, in protocol words: "Execute /5/0/2", "Write /5/0/1"
  bool delivered = false;   // false: no response at all (timeout, RST, send failure)
  std::string error;        // why not delivered, or why the exchange broke off
  coap::Code code;
  std::optional<std::uint16_t> content_format;
  Bytes payload;                      // whole body, Block2 reassembled
  lwm2m::Records records;             // decoded when the format has a codec
  std::optional<std::string> decode_error;  // format and byte offset when decoding failed
  std::vector<lwm2m::Link> links;     // Discover
  std::vector<BlockExchange> blocks;  // Block1 writes, in order
  coap::Message last;                 // the final response message as received

  bool ok() const { return delivered && code.is_success(); }
  bool is(coap::Code c) const { return delivered && code == c; }
  // The value at `path` among the decoded records.
  std::optional<lwm2m::Value> value(const lwm2m::Path& path) const;
  // "2.05 Content, CF 0, 1 record: /5/0/3 = 0" or "no response: …", for failure messages.
  std::string describe() const;
};

}  // namespace fc::server
