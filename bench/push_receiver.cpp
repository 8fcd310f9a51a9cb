// The receiving side of the push benchmark as a process of its own: a device on libcoap's own
// block-wise receiving (COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY) that takes PUT /5/0/0
// whole, from any sender: the reference server it registered with (through the registration's
// session) and coap-client (through its own endpoint). Both senders thus push to the same code in
// the same process. Plain libcoap, no fotacheck code, so neither sender is favoured.
//
//   fotacheck-push-receiver SERVER_PORT [ENDPOINT (default bench-device)]
//
// Prints "port N" once its own endpoint listens on 127.0.0.1, then "received N" for every
// complete body (N its size in bytes), until SIGTERM or SIGINT.
#include <arpa/inet.h>
#include <coap3/coap.h>
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <string>

namespace {

std::atomic<bool> stopping{false};

void on_signal(int) { stopping = true; }

coap_address_t loopback(std::uint16_t port) {
  coap_address_t addr;
  coap_address_init(&addr);
  addr.addr.sin.sin_family = AF_INET;
  addr.addr.sin.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &addr.addr.sin.sin_addr);
  addr.size = sizeof(sockaddr_in);
  return addr;
}

void on_put(coap_resource_t*, coap_session_t*, const coap_pdu_t* request, const coap_string_t*,
            coap_pdu_t* response) {
  size_t length = 0, offset = 0, total = 0;
  const std::uint8_t* data = nullptr;
  if (coap_get_data_large(request, &length, &data, &offset, &total)) {
    std::printf("received %zu\n", length);
    std::fflush(stdout);
  }
  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
}

// POST /rd?ep=…&lt=300&lwm2m=1.1&b=U with the objects the push needs (LwM2M 1.1 Register).
void register_with(coap_session_t* session, const std::string& endpoint) {
  coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, coap_new_message_id(session),
                                  coap_session_max_pdu_size(session));
  std::uint8_t token[8];
  size_t token_length = 0;
  coap_session_new_token(session, &token_length, token);
  coap_add_token(pdu, token_length, token);
  auto add = [pdu](coap_option_num_t number, const std::string& value) {
    coap_add_option(pdu, number, value.size(), reinterpret_cast<const std::uint8_t*>(value.data()));
  };
  add(COAP_OPTION_URI_PATH, "rd");
  std::uint8_t format[1] = {40};  // application/link-format
  coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, 1, format);
  for (std::string query : {"ep=" + endpoint, std::string("lt=300"), std::string("lwm2m=1.1"), std::string("b=U")})
    add(COAP_OPTION_URI_QUERY, query);
  std::string links = "</1/0>,</3/0>,</5/0>";
  coap_add_data(pdu, links.size(), reinterpret_cast<const std::uint8_t*>(links.data()));
  coap_send(session, pdu);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: %s SERVER_PORT [ENDPOINT]\n", argv[0]);
    return 2;
  }
  std::string endpoint = argc > 2 ? argv[2] : "bench-device";
  struct sigaction action {};
  action.sa_handler = on_signal;
  ::sigaction(SIGTERM, &action, nullptr);
  ::sigaction(SIGINT, &action, nullptr);

  coap_startup();
  coap_set_log_level(LOG_EMERG);
  coap_context_t* ctx = coap_new_context(nullptr);
  coap_context_set_block_mode(ctx, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
  coap_register_response_handler(ctx, [](coap_session_t*, const coap_pdu_t*, const coap_pdu_t*, const coap_mid_t) {
    return COAP_RESPONSE_OK;
  });
  coap_resource_t* firmware = coap_resource_init(coap_make_str_const("5/0/0"), 0);
  coap_register_request_handler(firmware, COAP_REQUEST_PUT, on_put);
  coap_add_resource(ctx, firmware);

  coap_address_t own = loopback(0);
  coap_endpoint_t* listening = coap_new_endpoint(ctx, &own, COAP_PROTO_UDP);
  if (!listening) {
    std::fprintf(stderr, "fotacheck-push-receiver: cannot bind a UDP endpoint on 127.0.0.1\n");
    return 1;
  }
  // libcoap 4.3.1 has no port getter: coap_endpoint_str gives "127.0.0.1:47436 UDP".
  std::string text = coap_endpoint_str(listening);
  auto space = text.find(' ');
  auto colon = text.rfind(':', space);
  std::printf("port %s\n", text.substr(colon + 1, space - colon - 1).c_str());
  std::fflush(stdout);

  coap_address_t server = loopback(static_cast<std::uint16_t>(std::stoi(argv[1])));
  coap_session_t* session = coap_new_client_session(ctx, nullptr, &server, COAP_PROTO_UDP);
  if (!session) {
    std::fprintf(stderr, "fotacheck-push-receiver: cannot open a session to 127.0.0.1:%s\n", argv[1]);
    return 1;
  }
  register_with(session, endpoint);
  while (!stopping) coap_io_process(ctx, 100);
  coap_session_release(session);
  coap_free_context(ctx);
  coap_cleanup();
  return 0;
}
