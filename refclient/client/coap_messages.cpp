#include "refclient/client/coap_messages.h"

#include <netdb.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "suite/lwm2m/codec_error.h"

namespace fc::refclient {

namespace {

Method method_of(coap_pdu_code_t code) {
  switch (code) {
    case COAP_REQUEST_CODE_GET: return Method::Get;
    case COAP_REQUEST_CODE_POST: return Method::Post;
    case COAP_REQUEST_CODE_PUT: return Method::Put;
    case COAP_REQUEST_CODE_DELETE: return Method::Delete;
    default: return Method::Other;
  }
}

}  // namespace

int code_class(coap_pdu_code_t code) { return static_cast<int>(code) >> 5; }
int code_detail(coap_pdu_code_t code) { return static_cast<int>(code) & 0x1f; }
std::string code_text(coap_pdu_code_t code) { return fmt::format("{}.{:02}", code_class(code), code_detail(code)); }

Bytes token_of(const coap_pdu_t* pdu) {
  const auto token = coap_pdu_get_token(pdu);
  return Bytes(token.s, token.s + token.length);
}

std::optional<std::uint32_t> uint_option(const coap_pdu_t* pdu, coap_option_num_t number) {
  coap_opt_iterator_t iterator;
  const coap_opt_t* option = coap_check_option(pdu, number, &iterator);
  if (!option) return std::nullopt;
  return coap_decode_var_bytes(coap_opt_value(option), coap_opt_length(option));
}

std::vector<std::string> string_options(const coap_pdu_t* pdu, coap_option_num_t number) {
  std::vector<std::string> values;
  coap_opt_iterator_t iterator;
  coap_opt_filter_t filter;
  coap_option_filter_clear(&filter);
  coap_option_filter_set(&filter, number);
  coap_option_iterator_init(pdu, &iterator, &filter);
  while (const coap_opt_t* option = coap_option_next(&iterator)) {
    const auto* value = coap_opt_value(option);
    values.emplace_back(reinterpret_cast<const char*>(value), coap_opt_length(option));
  }
  return values;
}

DecodedRequest decode_request(const coap_pdu_t* pdu, coap_proto_t proto) {
  DmRequest request;
  request.method = method_of(coap_pdu_get_code(pdu));
  if (proto == COAP_PROTO_UDP || proto == COAP_PROTO_DTLS)
    request.message_id = static_cast<std::uint16_t>(coap_pdu_get_mid(pdu));

  std::string path;
  for (const auto& segment : string_options(pdu, COAP_OPTION_URI_PATH)) path += '/' + segment;
  try {
    request.path = lwm2m::Path::parse(path.empty() ? "/" : path);
  } catch (const lwm2m::CodecError&) {
    return {std::nullopt, DmResponse::error(4, 4, fmt::format("'{}' is not an LwM2M path", path))};
  }

  auto narrow = [](std::optional<std::uint32_t> value) -> std::optional<std::uint16_t> {
    if (!value || *value > 0xFFFF) return std::nullopt;
    return static_cast<std::uint16_t>(*value);
  };
  request.content_format = narrow(uint_option(pdu, COAP_OPTION_CONTENT_FORMAT));
  request.accept = narrow(uint_option(pdu, COAP_OPTION_ACCEPT));
  request.observe = uint_option(pdu, COAP_OPTION_OBSERVE);
  request.size1 = uint_option(pdu, COAP_OPTION_SIZE1);
  if (const auto block1 = uint_option(pdu, COAP_OPTION_BLOCK1)) {
    request.block1 = decode_block_option(*block1);
    if (!request.block1) return {std::nullopt, DmResponse::error(4, 2, "Block1 option with SZX 7 over UDP")};
  }
  request.queries = string_options(pdu, COAP_OPTION_URI_QUERY);

  size_t length = 0;
  const uint8_t* data = nullptr;
  if (coap_get_data(pdu, &length, &data) && length > 0) request.payload.assign(data, data + length);
  return {std::move(request), {}};
}

void add_uint_option(coap_pdu_t* pdu, coap_option_num_t number, std::uint32_t value) {
  uint8_t buffer[4];
  const auto length = coap_encode_var_safe(buffer, sizeof(buffer), value);
  coap_add_option(pdu, number, length, buffer);
}

void add_string_option(coap_pdu_t* pdu, coap_option_num_t number, const std::string& value) {
  coap_add_option(pdu, number, value.size(), reinterpret_cast<const uint8_t*>(value.data()));
}

void encode_response(coap_pdu_t* response, const DmResponse& answer) {
  coap_pdu_set_code(response, static_cast<coap_pdu_code_t>((answer.code_class << 5) | answer.code_detail));
  if (answer.content_format) add_uint_option(response, COAP_OPTION_CONTENT_FORMAT, *answer.content_format);
  if (answer.block1) add_uint_option(response, COAP_OPTION_BLOCK1, encode_block_option(*answer.block1));
  if (answer.size1) add_uint_option(response, COAP_OPTION_SIZE1, *answer.size1);
  if (!answer.payload.empty()) coap_add_data(response, answer.payload.size(), answer.payload.data());
}

coap_address_t resolve_server(const ServerAddress& server) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const auto port = std::to_string(server.port);
  if (const int rc = getaddrinfo(server.host.c_str(), port.c_str(), &hints, &found); rc != 0 || !found) {
    throw std::runtime_error(fmt::format("cannot resolve server host '{}': {}", server.host, gai_strerror(rc)));
  }
  coap_address_t address;
  coap_address_init(&address);
  std::memcpy(&address.addr, found->ai_addr, found->ai_addrlen);
  address.size = found->ai_addrlen;
  freeaddrinfo(found);
  return address;
}

coap_fixed_point_t fixed_point(double seconds) {
  const auto millis = static_cast<std::uint32_t>(std::lround(seconds * 1000.0));
  return coap_fixed_point_t{static_cast<uint16_t>(millis / 1000), static_cast<uint16_t>(millis % 1000)};
}

}  // namespace fc::refclient
