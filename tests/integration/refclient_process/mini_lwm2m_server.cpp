#include "tests/integration/refclient_process/mini_lwm2m_server.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fc::testing {

namespace {

MiniLwm2mServer* server_of(coap_session_t* session) {
  return static_cast<MiniLwm2mServer*>(coap_get_app_data(coap_session_get_context(session)));
}

std::vector<std::string> options_of(const coap_pdu_t* pdu, coap_option_num_t number) {
  std::vector<std::string> values;
  coap_opt_iterator_t iterator;
  coap_opt_filter_t filter;
  coap_option_filter_clear(&filter);
  coap_option_filter_set(&filter, number);
  coap_option_iterator_init(pdu, &iterator, &filter);
  while (const coap_opt_t* option = coap_option_next(&iterator)) {
    values.emplace_back(reinterpret_cast<const char*>(coap_opt_value(option)), coap_opt_length(option));
  }
  return values;
}

std::optional<std::uint32_t> uint_of(const coap_pdu_t* pdu, coap_option_num_t number) {
  coap_opt_iterator_t iterator;
  const coap_opt_t* option = coap_check_option(pdu, number, &iterator);
  if (!option) return std::nullopt;
  return coap_decode_var_bytes(coap_opt_value(option), coap_opt_length(option));
}

std::string payload_of(const coap_pdu_t* pdu) {
  size_t length = 0;
  const uint8_t* data = nullptr;
  if (!coap_get_data(pdu, &length, &data)) return {};
  return std::string(reinterpret_cast<const char*>(data), length);
}

void add_uint(coap_pdu_t* pdu, coap_option_num_t number, std::uint32_t value) {
  uint8_t buffer[4];
  coap_add_option(pdu, number, coap_encode_var_safe(buffer, sizeof(buffer), value), buffer);
}

void add_text(coap_pdu_t* pdu, coap_option_num_t number, const std::string& value) {
  coap_add_option(pdu, number, value.size(), reinterpret_cast<const uint8_t*>(value.data()));
}

coap_pdu_code_t response_code(int code) { return static_cast<coap_pdu_code_t>(((code / 100) << 5) | (code % 100)); }

}  // namespace

MiniLwm2mServer::MiniLwm2mServer(std::uint16_t port) : MiniLwm2mServer(port, Security{}) {}

MiniLwm2mServer::MiniLwm2mServer(std::uint16_t port, Security security) : security_(std::move(security)) {
  coap_startup();
  context_ = coap_new_context(nullptr);
  if (!context_) throw std::runtime_error("cannot create the server context");
  coap_set_app_data(context_, this);
  if (!security_.psk_identity.empty()) {
    psk_key_.length = security_.psk_key.size();
    psk_key_.s = security_.psk_key.data();
    psk_setup_.version = COAP_DTLS_SPSK_SETUP_VERSION;
    psk_setup_.validate_id_call_back = on_psk_identity;
    psk_setup_.id_call_back_arg = this;
    psk_setup_.psk_info.key = psk_key_;
    if (!coap_context_set_psk2(context_, &psk_setup_)) throw std::runtime_error("cannot set the server PSK");
  }
  if (!security_.rpk_private_key_file.empty() || !security_.certificate_file.empty()) {
    pki_setup_.version = COAP_DTLS_PKI_SETUP_VERSION;
    pki_setup_.verify_peer_cert = 1;
    pki_setup_.validate_cn_call_back = on_client_key;
    pki_setup_.cn_call_back_arg = this;
    if (!security_.rpk_private_key_file.empty()) {
      std::ifstream in(security_.rpk_private_key_file);
      std::stringstream text;
      text << in.rdbuf();
      rpk_pem_ = text.str();
      pki_setup_.is_rpk_not_cert = 1;
      pki_setup_.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
      pki_setup_.pki_key.key.pem_buf.public_cert = reinterpret_cast<const uint8_t*>(rpk_pem_.c_str());
      pki_setup_.pki_key.key.pem_buf.public_cert_len = rpk_pem_.size() + 1;
      pki_setup_.pki_key.key.pem_buf.private_key = reinterpret_cast<const uint8_t*>(rpk_pem_.c_str());
      pki_setup_.pki_key.key.pem_buf.private_key_len = rpk_pem_.size() + 1;
    } else {
      pki_setup_.cert_chain_validation = 1;
      pki_setup_.cert_chain_verify_depth = 3;
      pki_setup_.pki_key.key_type = COAP_PKI_KEY_PEM;
      pki_setup_.pki_key.key.pem.public_cert = security_.certificate_file.c_str();
      pki_setup_.pki_key.key.pem.private_key = security_.private_key_file.c_str();
      pki_setup_.pki_key.key.pem.ca_file = security_.ca_file.c_str();
    }
    if (!coap_context_set_pki(context_, &pki_setup_)) throw std::runtime_error("cannot set the server PKI/RPK");
  }
  coap_address_t address;
  coap_address_init(&address);
  address.addr.sin.sin_family = AF_INET;
  address.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.addr.sin.sin_port = htons(port);
  address.size = sizeof(address.addr.sin);
  coap_endpoint_t* endpoint = coap_new_endpoint(context_, &address, security_.proto);
  if (!endpoint) throw std::runtime_error("cannot bind the server endpoint");
  // coap_endpoint_str() is the only way 4.3.1 tells the bound port: "127.0.0.1:47436 UDP".
  const std::string text = coap_endpoint_str(endpoint);
  port_ = static_cast<std::uint16_t>(std::atoi(text.c_str() + text.find(':') + 1));

  coap_resource_t* rd = coap_resource_init(coap_make_str_const("rd"), 0);
  coap_register_handler(rd, COAP_REQUEST_POST, on_register);
  coap_add_resource(context_, rd);
  coap_resource_t* registration = coap_resource_init(coap_make_str_const("rd/1"), 0);
  coap_register_handler(registration, COAP_REQUEST_POST, on_update);
  coap_register_handler(registration, COAP_REQUEST_DELETE, on_deregister);
  coap_add_resource(context_, registration);
  coap_register_response_handler(context_, on_response);
}

MiniLwm2mServer::~MiniLwm2mServer() {
  if (client_) coap_session_release(client_);
  coap_free_context(context_);
}

std::string MiniLwm2mServer::uri() const {
  const char* scheme = security_.proto == COAP_PROTO_DTLS  ? "coaps"
                       : security_.proto == COAP_PROTO_TCP ? "coap+tcp"
                       : security_.proto == COAP_PROTO_TLS ? "coaps+tcp"
                                                           : "coap";
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_);
}

const coap_bin_const_t* MiniLwm2mServer::on_psk_identity(coap_bin_const_t* identity, coap_session_t*, void* self) {
  auto* server = static_cast<MiniLwm2mServer*>(self);
  const std::string offered(reinterpret_cast<const char*>(identity->s), identity->length);
  server->psk_identities.push_back(offered);
  return offered == server->security_.psk_identity ? &server->psk_key_ : nullptr;
}

int MiniLwm2mServer::on_client_key(const char* cn, const uint8_t*, size_t, coap_session_t*, unsigned depth, int,
                                   void* self) {
  if (depth == 0) static_cast<MiniLwm2mServer*>(self)->client_names.emplace_back(cn ? cn : "");
  return 1;
}

void MiniLwm2mServer::on_register(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request,
                                  const coap_string_t*, coap_pdu_t* response) {
  auto* self = server_of(session);
  self->registers.push_back(
      {options_of(request, COAP_OPTION_URI_QUERY), uint_of(request, COAP_OPTION_CONTENT_FORMAT), payload_of(request)});
  if (self->client_ != session) {
    if (self->client_) coap_session_release(self->client_);
    self->client_ = coap_session_reference(session);
  }
  add_text(response, COAP_OPTION_LOCATION_PATH, "rd");
  add_text(response, COAP_OPTION_LOCATION_PATH, "1");
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CREATED);
}

void MiniLwm2mServer::on_update(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request,
                                const coap_string_t*, coap_pdu_t* response) {
  auto* self = server_of(session);
  self->updates.push_back(options_of(request, COAP_OPTION_URI_QUERY));
  coap_pdu_set_code(response, response_code(self->update_answer));
}

void MiniLwm2mServer::on_deregister(coap_resource_t*, coap_session_t* session, const coap_pdu_t*,
                                    const coap_string_t*, coap_pdu_t* response) {
  ++server_of(session)->deregisters;
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_DELETED);
}

coap_response_t MiniLwm2mServer::on_response(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* received,
                                             coap_mid_t) {
  auto* self = server_of(session);
  const auto token = coap_pdu_get_token(received);
  const Bytes key(token.s, token.s + token.length);
  const auto found = self->responses_.find(key);
  if (found == self->responses_.end()) return COAP_RESPONSE_FAIL;
  const auto code = coap_pdu_get_code(received);
  found->second.push_back({(static_cast<int>(code) >> 5) * 100 + (static_cast<int>(code) & 0x1f),
                           uint_of(received, COAP_OPTION_CONTENT_FORMAT), uint_of(received, COAP_OPTION_OBSERVE),
                           uint_of(received, COAP_OPTION_BLOCK1), payload_of(received)});
  return COAP_RESPONSE_OK;
}

bool MiniLwm2mServer::pump_until(const std::function<bool()>& done, Duration budget) {
  const Deadline deadline(budget);
  while (!done()) {
    if (deadline.passed()) return false;
    coap_io_process(context_, 20);
  }
  return true;
}

void MiniLwm2mServer::pump_for(Duration budget) {
  pump_until([] { return false; }, budget);
}

std::optional<MiniLwm2mServer::Response> MiniLwm2mServer::send(const Request& request, Duration budget,
                                                               Bytes* token_out) {
  if (!client_) return std::nullopt;
  coap_pdu_t* pdu = coap_new_pdu(COAP_MESSAGE_CON, request.method, client_);
  const std::uint32_t serial = next_token_++;
  const Bytes token{static_cast<std::uint8_t>(serial >> 8), static_cast<std::uint8_t>(serial)};
  coap_add_token(pdu, token.size(), token.data());
  if (request.observe) add_uint(pdu, COAP_OPTION_OBSERVE, *request.observe);
  std::size_t start = 1;
  while (start < request.path.size()) {
    const auto end = std::min(request.path.find('/', start), request.path.size());
    add_text(pdu, COAP_OPTION_URI_PATH, request.path.substr(start, end - start));
    start = end + 1;
  }
  if (request.content_format) add_uint(pdu, COAP_OPTION_CONTENT_FORMAT, *request.content_format);
  for (const auto& query : request.queries) add_text(pdu, COAP_OPTION_URI_QUERY, query);
  if (request.accept) add_uint(pdu, COAP_OPTION_ACCEPT, *request.accept);
  if (request.block1) add_uint(pdu, COAP_OPTION_BLOCK1, *request.block1);
  if (request.size1) add_uint(pdu, COAP_OPTION_SIZE1, *request.size1);
  if (!request.payload.empty()) {
    coap_add_data(pdu, request.payload.size(), reinterpret_cast<const uint8_t*>(request.payload.data()));
  }
  auto& answers = responses_[token];
  answers.clear();
  if (token_out) *token_out = token;
  coap_send(client_, pdu);
  if (!pump_until([&] { return !responses_[token].empty(); }, budget)) return std::nullopt;
  return responses_[token].front();
}

}  // namespace fc::testing
