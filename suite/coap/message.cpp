#include "suite/coap/message.h"

#include <coap3/coap.h>
#include <fmt/format.h>

namespace fc::coap {

std::string to_string(MessageType type) {
  switch (type) {
    case MessageType::Con: return "CON";
    case MessageType::Non: return "NON";
    case MessageType::Ack: return "ACK";
    case MessageType::Rst: return "RST";
  }
  return "?";
}

BlockOption BlockOption::decode(std::uint32_t value) {
  return BlockOption{value >> 4, (value & 8u) != 0, static_cast<std::uint8_t>(value & 7u)};
}

std::uint8_t BlockOption::szx_for(std::size_t bytes) {
  std::uint8_t szx = 0;
  while (szx < 6 && (std::size_t{1} << (szx + 4)) < bytes) ++szx;
  return szx;
}

std::string BlockOption::str() const { return fmt::format("{}/{}/{}", num, more ? 1 : 0, size()); }

namespace {
std::uint32_t uint_value(const coap_opt_t* opt) {
  return coap_decode_var_bytes(coap_opt_value(opt), coap_opt_length(opt));
}
std::string string_value(const coap_opt_t* opt) {
  const auto* v = coap_opt_value(opt);
  return std::string(reinterpret_cast<const char*>(v), coap_opt_length(opt));
}
std::string join_path(const std::vector<std::string>& segments) {
  if (segments.empty()) return "/";
  std::size_t length = 0;
  for (const auto& s : segments) length += 1 + s.size();
  std::string out;
  out.reserve(length);  // the repository asks for its path on every block
  for (const auto& s : segments) {
    out += '/';
    out += s;
  }
  return out;
}
}  // namespace

Message Message::from_pdu(const coap_pdu_t* pdu) {
  Message m;
  m.type = static_cast<MessageType>(coap_pdu_get_type(pdu));
  m.code = Code::from_raw(static_cast<std::uint8_t>(coap_pdu_get_code(pdu)));
  m.message_id = static_cast<std::uint16_t>(coap_pdu_get_mid(pdu));
  auto token = coap_pdu_get_token(pdu);
  m.token.assign(token.s, token.s + token.length);

  coap_opt_iterator_t it;
  coap_option_iterator_init(pdu, &it, COAP_OPT_ALL);
  while (const coap_opt_t* opt = coap_option_next(&it)) {
    switch (it.number) {
      case COAP_OPTION_URI_PATH:
        // Room for an LwM2M path or the repository's at once: no regrowing on every request.
        if (m.uri_path.empty()) m.uri_path.reserve(3);
        m.uri_path.push_back(string_value(opt));
        break;
      case COAP_OPTION_URI_QUERY: m.uri_query.push_back(string_value(opt)); break;
      case COAP_OPTION_LOCATION_PATH: m.location_path.push_back(string_value(opt)); break;
      case COAP_OPTION_CONTENT_FORMAT: m.content_format = static_cast<std::uint16_t>(uint_value(opt)); break;
      case COAP_OPTION_ACCEPT: m.accept = static_cast<std::uint16_t>(uint_value(opt)); break;
      case COAP_OPTION_OBSERVE: m.observe = uint_value(opt); break;
      case COAP_OPTION_BLOCK1: m.block1 = BlockOption::decode(uint_value(opt)); break;
      case COAP_OPTION_BLOCK2: m.block2 = BlockOption::decode(uint_value(opt)); break;
      case COAP_OPTION_SIZE1: m.size1 = uint_value(opt); break;
      case COAP_OPTION_SIZE2: m.size2 = uint_value(opt); break;
      case COAP_OPTION_ETAG: {
        const auto* v = coap_opt_value(opt);
        m.etags.emplace_back(v, v + coap_opt_length(opt));
        break;
      }
      default: break;
    }
  }
  size_t length = 0;
  const uint8_t* data = nullptr;
  if (coap_get_data(pdu, &length, &data) && length > 0) m.payload.assign(data, data + length);
  return m;
}

std::string Message::path() const { return join_path(uri_path); }
std::string Message::location() const { return join_path(location_path); }

std::string Message::summary() const {
  std::string s = fmt::format("{} {} mid={} tok={}", to_string(type), code.str(), message_id,
                              token.empty() ? "-" : to_hex(token));
  if (!uri_path.empty()) s += " " + path();
  if (!uri_query.empty()) {
    s += "?";
    for (std::size_t i = 0; i < uri_query.size(); ++i) s += (i ? "&" : "") + uri_query[i];
  }
  if (!location_path.empty()) s += " Location:" + location();
  if (content_format) s += fmt::format(" CF:{}", *content_format);
  if (accept) s += fmt::format(" Accept:{}", *accept);
  if (observe) s += fmt::format(" Observe:{}", *observe);
  if (block1) s += " Block1:" + block1->str();
  if (block2) s += " Block2:" + block2->str();
  if (size1) s += fmt::format(" Size1:{}", *size1);
  if (size2) s += fmt::format(" Size2:{}", *size2);
  for (const auto& e : etags) s += " ETag:" + to_hex(e);
  if (!payload.empty()) s += fmt::format(" payload={}B", payload.size());
  return s;
}

}  // namespace fc::coap
