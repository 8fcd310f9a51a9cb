#include "refclient/client/bootstrap_client.h"

#include <coap3/coap.h>
#include <poll.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "refclient/client/client_log.h"
#include "refclient/client/coap_messages.h"
#include "refclient/client/command_line.h"
#include "refclient/client/signal_pipe.h"
#include "refclient/firmware/durable_file.h"
#include "refclient/security/coap_client_security.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/content_format.h"

namespace fc::refclient {

using namespace std::chrono_literals;

namespace {

constexpr const char* kAccountFile = "bootstrap-account";
constexpr std::uint16_t kSecurityObject = 0;
constexpr std::uint16_t kServerObject = 1;
// How long a started bootstrap may wait for its next step before the client asks again.
constexpr auto kStepWait = 30s;
constexpr auto kRetryDelay = 2s;

std::optional<std::int64_t> int_of(const std::map<std::uint16_t, lwm2m::Value>& resources, std::uint16_t id) {
  const auto found = resources.find(id);
  if (found == resources.end()) return std::nullopt;
  return found->second.as_int();
}

}  // namespace

void BootstrapStore::erase(const std::vector<std::uint16_t>& path) {
  std::erase_if(instances_, [&](const auto& entry) {
    const auto [object, instance] = entry.first;
    if (path.empty()) return true;
    if (path[0] != object) return false;
    return path.size() == 1 || path[1] == instance;
  });
}

void BootstrapStore::write(const lwm2m::Records& records) {
  for (const auto& record : records) {
    const auto& ids = record.path.ids();
    if (ids.size() < 3 || (ids[0] != kSecurityObject && ids[0] != kServerObject)) continue;
    instances_[{ids[0], ids[1]}][ids[2]] = record.value;
  }
}

std::optional<DmAccount> BootstrapStore::dm_account(std::string& problem) const {
  try {
    const std::map<std::uint16_t, lwm2m::Value>* security = nullptr;
    std::uint16_t security_instance = 0;
    for (const auto& [key, resources] : instances_) {
      if (key.first != kSecurityObject) continue;
      const auto bootstrap = resources.find(1);
      if (bootstrap != resources.end() && bootstrap->second.as_bool()) continue;  // another bootstrap account
      if (security) {
        problem = fmt::format("two DM server accounts written (/0/{} and /0/{}); this client holds one",
                              security_instance, key.second);
        return std::nullopt;
      }
      security = &resources;
      security_instance = key.second;
    }
    if (!security) {
      problem = "no Security instance (/0) for a DM server was written";
      return std::nullopt;
    }
    DmAccount account;
    const auto uri = security->find(0);
    if (uri == security->end()) {
      problem = fmt::format("/0/{}/0 (LwM2M Server URI) was not written", security_instance);
      return std::nullopt;
    }
    account.server_uri = uri->second.as_string();
    account.security_mode = int_of(*security, 2).value_or(3);
    if (account.security_mode == 0) {
      const auto identity = security->find(3);
      const auto key = security->find(5);
      if (identity == security->end() || key == security->end()) {
        problem = fmt::format("/0/{} is PSK (mode 0) without identity (/3) and key (/5)", security_instance);
        return std::nullopt;
      }
      account.psk_identity = fc::to_string(identity->second.as_bytes());
      account.psk_key = key->second.as_bytes();
    }
    const auto short_id = int_of(*security, 10);
    const std::map<std::uint16_t, lwm2m::Value>* server = nullptr;
    for (const auto& [key, resources] : instances_) {
      if (key.first == kServerObject && (!short_id || int_of(resources, 0) == short_id)) server = &resources;
    }
    if (!server) {
      problem = fmt::format("no Server instance (/1) with Short Server ID {} to go with /0/{}",
                            short_id ? std::to_string(*short_id) : "(none written)", security_instance);
      return std::nullopt;
    }
    if (const auto lifetime = int_of(*server, 1)) account.lifetime = static_cast<std::uint32_t>(*lifetime);
    return account;
  } catch (const std::exception& error) {
    problem = std::string("a written value has the wrong type: ") + error.what();
    return std::nullopt;
  }
}

std::optional<DmAccount> load_dm_account(const std::filesystem::path& state_dir) {
  std::ifstream in(state_dir / kAccountFile);
  if (!in) return std::nullopt;
  DmAccount account;
  std::string line;
  while (std::getline(in, line)) {
    const auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    const auto key = line.substr(0, equals);
    const auto value = line.substr(equals + 1);
    if (key == "uri") account.server_uri = value;
    else if (key == "mode") account.security_mode = std::stoll(value);
    else if (key == "identity") account.psk_identity = fc::to_string(from_hex(value));
    else if (key == "key") account.psk_key = from_hex(value);
    else if (key == "lifetime") account.lifetime = static_cast<std::uint32_t>(std::stoul(value));
  }
  if (account.server_uri.empty()) return std::nullopt;
  return account;
}

void save_dm_account(const std::filesystem::path& state_dir, const DmAccount& account) {
  std::string text = fmt::format("uri={}\nmode={}\nidentity={}\nkey={}\n", account.server_uri, account.security_mode,
                                 to_hex(fc::to_bytes(account.psk_identity)), to_hex(account.psk_key));
  if (account.lifetime) text += fmt::format("lifetime={}\n", *account.lifetime);
  write_file_durably(state_dir / kAccountFile, text);
}

void use_dm_account(ClientOptions& options, const DmAccount& account) {
  options.server = parse_server_uri(account.server_uri);
  options.server_uri = account.server_uri;
  const bool secure = options.server.scheme == "coaps" || options.server.scheme == "coaps+tcp";
  if (secure != (account.security_mode != 3))
    throw std::invalid_argument(fmt::format("/0 Security Mode {} does not fit the server URI {}",
                                            account.security_mode, account.server_uri));
  if (account.security_mode == 0) {
    options.server_security = TlsCredentials{};
    options.server_security.psk_identity = account.psk_identity;
    options.server_security.psk_key = account.psk_key;
  } else if (account.security_mode == 3) {
    options.server_security = TlsCredentials{};
  } else if (options.server_security.coap_mode() == SecurityMode::NoSec) {
    throw std::invalid_argument(fmt::format("/0 Security Mode {} needs this client's own key or certificate "
                                            "(--rpk-private-key, --certificate), and none was given",
                                            account.security_mode));
  }
  if (account.lifetime) options.lifetime = *account.lifetime;
}

namespace {

// One bootstrap conversation: the session to the bootstrap server and what it wrote so far.
class BootstrapSession {
 public:
  explicit BootstrapSession(const ClientOptions& options)
      : options_(options), security_(options.bootstrap_security, "bootstrap server", client_log()) {
    const auto proto = coap_proto_of_scheme(options.bootstrap.scheme).value_or(COAP_PROTO_UDP);
    context_ = coap_new_context(nullptr);
    if (!context_) throw std::runtime_error("libcoap: cannot create a context");
    coap_set_app_data(context_, this);
    coap_context_set_block_mode(context_, 0);
    coap_register_response_handler(context_, on_response);
    auto* any = coap_resource_unknown_init(on_request);
    for (auto method : {COAP_REQUEST_GET, COAP_REQUEST_POST, COAP_REQUEST_DELETE})
      coap_register_handler(any, method, on_request);
    coap_add_resource(context_, any);
    // libcoap answers a DELETE of a path it has no resource for by itself (2.02): the paths a
    // bootstrap server deletes whole are resources of ours, so the store sees the Delete.
    for (const char* path : {"", "0", "1", "bs"}) {
      auto* resource = coap_resource_init(coap_make_str_const(path), 0);
      for (auto method : {COAP_REQUEST_GET, COAP_REQUEST_POST, COAP_REQUEST_DELETE, COAP_REQUEST_PUT})
        coap_register_handler(resource, method, on_request);
      coap_add_resource(context_, resource);
    }
    const auto address = resolve_server(options.bootstrap);
    session_ = security_.open(context_, address, proto, options.bootstrap.host);
    if (!session_)
      throw std::runtime_error(fmt::format("cannot open a session to the bootstrap server {}: {}",
                                           options.bootstrap_uri, security_.error()));
    coap_session_set_ack_timeout(session_, fixed_point(options.ack_timeout));
    coap_session_set_ack_random_factor(session_, fixed_point(options.ack_random_factor));
    coap_session_set_max_retransmit(session_, static_cast<uint16_t>(options.max_retransmit));
  }
  ~BootstrapSession() {
    coap_set_app_data(context_, nullptr);
    if (session_) coap_session_release(session_);
    coap_free_context(context_);
  }
  BootstrapSession(const BootstrapSession&) = delete;
  BootstrapSession& operator=(const BootstrapSession&) = delete;

  std::optional<DmAccount> run(int stop_fd) {
    auto next_request = Clock::now();
    Clock::time_point step_deadline = Clock::time_point::max();
    while (!account_) {
      const auto now = Clock::now();
      if (now >= next_request) {
        send_request();
        next_request = Clock::time_point::max();
        step_deadline = now + kStepWait;
      }
      if (request_failed_ || now >= step_deadline || finish_rejected_) {
        client_log().warn("bootstrap did not complete ({}); asking again in {} s",
                          request_failed_ ? "Bootstrap-Request not accepted"
                                          : finish_rejected_ ? "Bootstrap-Finish rejected" : "no Bootstrap-Finish",
                          std::chrono::duration_cast<std::chrono::seconds>(kRetryDelay).count());
        request_failed_ = finish_rejected_ = false;
        next_request = now + kRetryDelay;
        step_deadline = Clock::time_point::max();
      }
      pollfd fds[2] = {{coap_context_get_coap_fd(context_), POLLIN, 0}, {stop_fd, POLLIN, 0}};
      poll(fds, stop_fd >= 0 ? 2 : 1, 100);
      if (stop_fd >= 0 && drain_stop_signal_pipe(stop_fd)) return std::nullopt;
      coap_io_process(context_, COAP_IO_NO_WAIT);
    }
    // The 2.04 to Bootstrap-Finish is out; let a retransmitted Finish still find its answer.
    for (int i = 0; i < 3; ++i) coap_io_process(context_, 10);
    return account_;
  }

 private:
  const ClientOptions& options_;
  CoapClientSecurity security_;
  coap_context_t* context_ = nullptr;
  coap_session_t* session_ = nullptr;
  BootstrapStore store_;
  Bytes request_token_;
  bool request_failed_ = false;
  bool finish_rejected_ = false;
  std::optional<DmAccount> account_;

  static BootstrapSession* of(coap_session_t* session) {
    return static_cast<BootstrapSession*>(coap_get_app_data(coap_session_get_context(session)));
  }

  void send_request() {
    coap_pdu_t* pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, session_);
    if (!pdu) {
      request_failed_ = true;
      return;
    }
    std::uint8_t token[8];
    std::size_t length = 0;
    coap_session_new_token(session_, &length, token);
    coap_add_token(pdu, length, token);
    request_token_.assign(token, token + length);
    add_string_option(pdu, COAP_OPTION_URI_PATH, "bs");
    add_string_option(pdu, COAP_OPTION_URI_QUERY, "ep=" + options_.endpoint);
    client_log().info("Bootstrap-Request POST /bs?ep={} -> {}", options_.endpoint, options_.bootstrap_uri);
    if (coap_send(session_, pdu) == COAP_INVALID_MID) request_failed_ = true;
  }

  static coap_response_t on_response(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* received,
                                     coap_mid_t) {
    auto* self = of(session);
    if (!self || token_of(received) != self->request_token_) return COAP_RESPONSE_OK;
    const auto code = coap_pdu_get_code(received);
    client_log().info("Bootstrap-Request answered {}", code_text(code));
    if (code != COAP_RESPONSE_CODE_CHANGED) self->request_failed_ = true;
    return COAP_RESPONSE_OK;
  }

  static void on_request(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request, const coap_string_t*,
                         coap_pdu_t* response) {
    if (auto* self = of(session)) self->serve(request, response);
  }

  void answer(coap_pdu_t* response, coap_pdu_code_t code, const std::string& diagnostic = {}) {
    coap_pdu_set_code(response, code);
    if (!diagnostic.empty())
      coap_add_data(response, diagnostic.size(), reinterpret_cast<const std::uint8_t*>(diagnostic.data()));
  }

  void serve(const coap_pdu_t* request, coap_pdu_t* response) {
    const auto segments = string_options(request, COAP_OPTION_URI_PATH);
    const auto method = coap_pdu_get_code(request);
    std::string path;
    for (const auto& s : segments) path += "/" + s;
    if (path.empty()) path = "/";
    if (segments == std::vector<std::string>{"bs"} && method == COAP_REQUEST_CODE_POST) return finish(response);
    std::vector<std::uint16_t> ids;
    try {
      for (const auto& s : segments) ids.push_back(static_cast<std::uint16_t>(std::stoul(s)));
    } catch (const std::exception&) {
      client_log().info("bootstrap: {} {} -> 4.04", code_text(method), path);
      return answer(response, COAP_RESPONSE_CODE_NOT_FOUND, "no such path during bootstrap");
    }
    if (method == COAP_REQUEST_CODE_DELETE && ids.size() <= 2) {
      store_.erase(ids);
      client_log().info("Bootstrap-Delete {} -> 2.02", path);
      return answer(response, COAP_RESPONSE_CODE_DELETED);
    }
    if (method == COAP_REQUEST_CODE_PUT && !ids.empty() && ids.size() <= 2) {
      const auto format = uint_option(request, COAP_OPTION_CONTENT_FORMAT)
                              .value_or(static_cast<std::uint32_t>(lwm2m::ContentFormat::Tlv));
      std::size_t length = 0;
      const std::uint8_t* data = nullptr;
      coap_get_data(request, &length, &data);
      try {
        store_.write(lwm2m::decode(static_cast<lwm2m::ContentFormat>(format), lwm2m::Path(ids), ByteView(data, length)));
      } catch (const std::exception& error) {
        client_log().warn("Bootstrap-Write {} -> 4.00: {}", path, error.what());
        return answer(response, COAP_RESPONSE_CODE_BAD_REQUEST, error.what());
      }
      client_log().info("Bootstrap-Write {} -> 2.04", path);
      return answer(response, COAP_RESPONSE_CODE_CHANGED);
    }
    client_log().info("bootstrap: {} {} -> 4.05", code_text(method), path);
    answer(response, COAP_RESPONSE_CODE_NOT_ALLOWED, "not a bootstrap operation this client takes");
  }

  void finish(coap_pdu_t* response) {
    if (options_.bootstrap_fault == "reject-finish") {
      client_log().warn("Bootstrap-Finish -> 4.06 (--bootstrap-fault reject-finish)");
      finish_rejected_ = true;
      return answer(response, COAP_RESPONSE_CODE_NOT_ACCEPTABLE, "rejected on purpose (--bootstrap-fault reject-finish)");
    }
    std::string problem;
    auto account = store_.dm_account(problem);
    if (account) {
      try {
        ClientOptions trial = options_;
        use_dm_account(trial, *account);
      } catch (const std::exception& error) {
        problem = error.what();
        account.reset();
      }
    }
    if (!account) {
      client_log().warn("Bootstrap-Finish -> 4.06: {}", problem);
      finish_rejected_ = true;
      return answer(response, COAP_RESPONSE_CODE_NOT_ACCEPTABLE, problem);
    }
    client_log().info("Bootstrap-Finish -> 2.04: DM server {}", account->server_uri);
    account_ = std::move(account);
    answer(response, COAP_RESPONSE_CODE_CHANGED);
  }
};

}  // namespace

std::optional<DmAccount> run_bootstrap(const ClientOptions& options, int stop_fd) {
  coap_startup();
  BootstrapSession session(options);
  auto account = session.run(stop_fd);
  if (account) save_dm_account(options.firmware.state_dir, *account);
  return account;
}

}  // namespace fc::refclient
