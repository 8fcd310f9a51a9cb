// The loopback repositories of test_repositories.h.
#include "test_repositories.h"

#include <coap3/coap.h>
#include <httplib.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace fc::refclient::testing {

namespace {

void get_trampoline(coap_resource_t* resource, coap_session_t* session, const coap_pdu_t* request,
                    const coap_string_t* /*query*/, coap_pdu_t* response) {
  const coap_address_t* remote = coap_session_get_addr_remote(session);
  static_cast<CoapRepository*>(coap_resource_get_userdata(resource))
      ->handle_get(request, response, remote != nullptr ? coap_address_get_port(remote) : 0);
}

// coap_endpoint_str gives "127.0.0.1:PORT" (libcoap 4.3.1 has no getter for the bound port).
std::uint16_t port_of(const coap_endpoint_t* endpoint) {
  const std::string_view text = coap_endpoint_str(endpoint);
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) throw std::runtime_error("no port in endpoint " + std::string(text));
  std::uint32_t port = 0;
  for (std::size_t i = colon + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    port = port * 10 + static_cast<std::uint32_t>(text[i] - '0');
  }
  if (port == 0 || port > 65535) throw std::runtime_error("bad port in endpoint " + std::string(text));
  return static_cast<std::uint16_t>(port);
}

}  // namespace

struct CoapServerSetup {
  coap_dtls_spsk_t psk{};
  coap_dtls_pki_t pki{};
  coap_bin_const_t key{};
  std::string identity;
};

namespace {

const coap_bin_const_t* accept_identity(coap_bin_const_t* identity, coap_session_t*, void* setup) {
  auto* own = static_cast<CoapServerSetup*>(setup);
  const std::string offered(reinterpret_cast<const char*>(identity->s), identity->length);
  return offered == own->identity ? &own->key : nullptr;
}

coap_proto_t proto_of(RepositorySecurity::Transport transport) {
  switch (transport) {
    case RepositorySecurity::Transport::Udp: return COAP_PROTO_UDP;
    case RepositorySecurity::Transport::Dtls: return COAP_PROTO_DTLS;
    case RepositorySecurity::Transport::Tcp: return COAP_PROTO_TCP;
    case RepositorySecurity::Transport::Tls: return COAP_PROTO_TLS;
  }
  return COAP_PROTO_UDP;
}

}  // namespace

CoapRepository::CoapRepository(Bytes package, int max_szx) : CoapRepository(std::move(package), max_szx, {}) {}

CoapRepository::CoapRepository(Bytes package, int max_szx, RepositorySecurity security)
    : package_(std::move(package)),
      max_szx_(max_szx),
      security_(std::move(security)),
      setup_(std::make_unique<CoapServerSetup>()) {
  coap_startup();
  context_ = coap_new_context(nullptr);
  if (context_ == nullptr) throw std::runtime_error("coap_new_context failed");
  if (!security_.psk_identity.empty()) {
    setup_->identity = security_.psk_identity;
    setup_->key.length = security_.psk_key.size();
    setup_->key.s = security_.psk_key.data();
    setup_->psk.version = COAP_DTLS_SPSK_SETUP_VERSION;
    setup_->psk.validate_id_call_back = accept_identity;
    setup_->psk.id_call_back_arg = setup_.get();
    setup_->psk.psk_info.key = setup_->key;
    if (!coap_context_set_psk2(context_, &setup_->psk)) throw std::runtime_error("cannot set the repository PSK");
  } else if (!security_.rpk_private_key_file.empty() || !security_.certificate_file.empty()) {
    auto& pki = setup_->pki;
    pki.version = COAP_DTLS_PKI_SETUP_VERSION;
    if (!security_.rpk_private_key_file.empty()) {
      std::ifstream in(security_.rpk_private_key_file);
      std::stringstream text;
      text << in.rdbuf();
      rpk_pem_ = text.str();
      pki.is_rpk_not_cert = 1;
      pki.pki_key.key_type = COAP_PKI_KEY_PEM_BUF;
      pki.pki_key.key.pem_buf.public_cert = reinterpret_cast<const uint8_t*>(rpk_pem_.c_str());
      pki.pki_key.key.pem_buf.public_cert_len = rpk_pem_.size() + 1;
      pki.pki_key.key.pem_buf.private_key = reinterpret_cast<const uint8_t*>(rpk_pem_.c_str());
      pki.pki_key.key.pem_buf.private_key_len = rpk_pem_.size() + 1;
    } else {
      pki.pki_key.key_type = COAP_PKI_KEY_PEM;
      pki.pki_key.key.pem.public_cert = security_.certificate_file.c_str();
      pki.pki_key.key.pem.private_key = security_.private_key_file.c_str();
    }
    if (!coap_context_set_pki(context_, &pki)) throw std::runtime_error("cannot set the repository PKI/RPK");
  }
  coap_address_t listen;
  coap_address_init(&listen);
  listen.size = sizeof(sockaddr_in);
  listen.addr.sin.sin_family = AF_INET;
  listen.addr.sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  listen.addr.sin.sin_port = 0;
  coap_endpoint_t* endpoint = coap_new_endpoint(context_, &listen, proto_of(security_.transport));
  if (endpoint == nullptr) throw std::runtime_error("coap_new_endpoint on 127.0.0.1:0 failed");
  port_ = port_of(endpoint);
  coap_resource_t* resource = coap_resource_init(coap_make_str_const(kPath), 0);
  coap_resource_set_userdata(resource, this);
  coap_register_handler(resource, COAP_REQUEST_GET, get_trampoline);
  coap_add_resource(context_, resource);
}

CoapRepository::~CoapRepository() {
  if (context_ != nullptr) coap_free_context(context_);
}

std::string CoapRepository::uri(const std::string& path) const {
  static constexpr const char* kSchemes[] = {"coap", "coaps", "coap+tcp", "coaps+tcp"};
  return std::string(kSchemes[static_cast<int>(security_.transport)]) + "://127.0.0.1:" + std::to_string(port_) +
         "/" + path;
}

void CoapRepository::poll() {
  if (silent_after && blocks_served_ >= *silent_after) return;
  coap_io_process(context_, COAP_IO_NO_WAIT);
}

void CoapRepository::handle_get(const coap_pdu_t* request, coap_pdu_t* response, std::uint16_t client_port) {
  ++requests_seen_;
  coap_block_t block{};
  if (coap_get_block(request, COAP_OPTION_BLOCK2, &block) == 0) {
    block.num = 0;
    block.szx = static_cast<unsigned>(max_szx_) & 0x7u;
  }
  asked_.push_back(Asked{std::size_t{block.num} << (block.szx + 4), client_port});
  coap_opt_iterator_t it;
  const bool asked_size2 = coap_check_option(request, COAP_OPTION_SIZE2, &it) != nullptr;
  if (requests_seen_ == 1) first_request_asked_size2_ = asked_size2;
  // No response code: libcoap acknowledges the CON with an empty ACK (a separate response to follow).
  if (ack_only_after && blocks_served_ >= *ack_only_after) return;

  const unsigned szx = std::min(block.szx, static_cast<unsigned>(max_szx_));
  const std::size_t size = std::size_t{1} << (szx + 4);
  // Numbers are in units of the client's block size; rescale when we answer smaller blocks.
  const std::size_t offset = std::size_t{block.num} << (block.szx + 4);
  const std::uint32_t num = static_cast<std::uint32_t>(offset / size);
  if (offset > package_.size()) {
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_BAD_OPTION);
    return;
  }
  const std::size_t length = std::min(size, package_.size() - offset);
  const bool more = offset + length < package_.size();

  const bool changed_etag = etag_change_after && blocks_served_ >= *etag_change_after;
  const std::uint8_t etag[4] = {0xE7, 0x46, 0x00, static_cast<std::uint8_t>(changed_etag ? 2 : 1)};
  const bool wrong_number = wrong_block_after && blocks_served_ >= *wrong_block_after;
  const std::uint32_t answered_num = wrong_number ? num + 1 : num;

  coap_pdu_set_code(response, COAP_RESPONSE_CODE_CONTENT);
  coap_add_option(response, COAP_OPTION_ETAG, sizeof etag, etag);
  std::uint8_t buffer[8];
  coap_add_option(response, COAP_OPTION_CONTENT_FORMAT,
                  coap_encode_var_safe(buffer, sizeof buffer, COAP_MEDIATYPE_APPLICATION_OCTET_STREAM),
                  buffer);
  coap_add_option(response, COAP_OPTION_BLOCK2,
                  coap_encode_var_safe(buffer, sizeof buffer, (answered_num << 4) | (more ? 8u : 0u) | szx),
                  buffer);
  if (asked_size2) {
    coap_add_option(response, COAP_OPTION_SIZE2,
                    coap_encode_var_safe(buffer, sizeof buffer, static_cast<unsigned>(package_.size())),
                    buffer);
  }
  coap_add_data(response, length, package_.data() + offset);
  ++blocks_served_;
}

HttpRepository::HttpRepository(Bytes package)
    : package_(std::move(package)), server_(std::make_unique<httplib::Server>()) {
  serve();
}

HttpRepository::HttpRepository(Bytes package, const std::string& certificate_name, const std::string& client_ca_file)
    : package_(std::move(package)), secure_(true) {
  const auto base = std::string(FOTACHECK_SOURCE_DIR) + "/fixtures/pki/" + certificate_name;
  const auto certificate = base + ".crt.pem";
  const auto key = base + ".key.pem";
  server_ = client_ca_file.empty()
                ? std::make_unique<httplib::SSLServer>(certificate.c_str(), key.c_str())
                : std::make_unique<httplib::SSLServer>(certificate.c_str(), key.c_str(), client_ca_file.c_str());
  if (!server_->is_valid()) throw std::runtime_error("cannot load " + certificate);
  serve();
}

void HttpRepository::serve() {
  server_->Get(kPath, [this](const httplib::Request& request, httplib::Response& response) {
    const int number = ++requests_;
    const bool faulty = !faulty_requests || number <= *faulty_requests;
    const auto& current = number > 1 && next_etag ? next_etag : etag;
    Seen seen{request.get_header_value("Range"), request.get_header_value("If-Match"), 0};
    auto record = [&](int status_sent) {
      seen.status = status_sent;
      std::lock_guard lock(seen_mutex_);
      seen_.push_back(seen);
    };
    if (current) response.set_header("ETag", *current);
    if (status && faulty) {
      response.status = *status;
      record(*status);
      return;
    }
    // If-Match uses the strong comparison: a weak tag on either side never matches.
    const bool strong_match = current && current->rfind("W/", 0) != 0 && seen.if_match == *current;
    if (!seen.range.empty() && !seen.if_match.empty() && !strong_match) {
      response.status = 412;
      record(412);
      return;
    }
    record(seen.range.empty() ? 200 : 206);
    const auto limit = !faulty ? std::nullopt : close_after_bytes ? close_after_bytes : stall_after_bytes;
    const bool stall = stall_after_bytes.has_value();
    response.set_content_provider(
        package_.size(), "application/octet-stream",
        [this, limit, stall](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          if (limit && offset >= *limit) {
            if (stall) {
              // Hold the connection open without sending, boundedly, until the test ends.
              const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
              while (!stopping_ && std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
              }
            }
            return false;
          }
          std::size_t take = std::min<std::size_t>(length, 1024);
          if (limit) take = std::min(take, *limit - offset);
          if (!sink.write(reinterpret_cast<const char*>(package_.data() + offset), take)) return false;
          bytes_served_ += take;
          return true;
        });
  });
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("cannot bind the HTTP repository to 127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

HttpRepository::~HttpRepository() {
  stopping_ = true;
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::vector<HttpRepository::Seen> HttpRepository::seen() const {
  std::lock_guard lock(seen_mutex_);
  return seen_;
}

int HttpRepository::ranged_requests() const {
  std::lock_guard lock(seen_mutex_);
  int count = 0;
  for (const auto& request : seen_) count += request.range.empty() ? 0 : 1;
  return count;
}

std::string HttpRepository::uri(const std::string& path) const {
  return std::string(secure_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace fc::refclient::testing
