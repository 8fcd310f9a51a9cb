// Conversions between libcoap PDUs and the router's DmRequest/DmResponse, and the few option
// reads the rest of the client needs.
#pragma once

#include <coap3/coap.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "refclient/client/client_options.h"
#include "refclient/client/dm_message.h"
#include "suite/common/bytes.h"

namespace fc::refclient {

// The request as the router sees it. nullopt when the Uri-Path is not an LwM2M path (the
// caller answers 4.04) or an option is malformed (4.00 / 4.02).
struct DecodedRequest {
  std::optional<DmRequest> request;
  DmResponse rejection;  // when request is nullopt
};
// `proto` is the session's: only UDP and DTLS messages carry a Message ID (TCP and TLS, RFC
// 8323, have none, so nothing there is a retransmission).
DecodedRequest decode_request(const coap_pdu_t* pdu, coap_proto_t proto);

// Fills a response PDU libcoap prepared (token, Observe already in place).
void encode_response(coap_pdu_t* response, const DmResponse& answer);

Bytes token_of(const coap_pdu_t* pdu);
std::optional<std::uint32_t> uint_option(const coap_pdu_t* pdu, coap_option_num_t number);
std::vector<std::string> string_options(const coap_pdu_t* pdu, coap_option_num_t number);
// "2.05" for logs.
std::string code_text(coap_pdu_code_t code);
int code_class(coap_pdu_code_t code);
int code_detail(coap_pdu_code_t code);

// Adds a uint option in its shortest encoding.
void add_uint_option(coap_pdu_t* pdu, coap_option_num_t number, std::uint32_t value);
void add_string_option(coap_pdu_t* pdu, coap_option_num_t number, const std::string& value);

// The server's address for libcoap. Throws std::runtime_error naming a host that does not resolve.
coap_address_t resolve_server(const ServerAddress& server);
// Seconds as libcoap's fixed point (ACK_TIMEOUT).
coap_fixed_point_t fixed_point(double seconds);

}  // namespace fc::refclient
