// CoAP Block2 pull with libcoap 4.3.1, block handling off (each response reaches us as is).
//
// Failure mapping (documented in docs/refclient.md):
//   all retransmissions expire, RST, ICMP error, no answer within MAX_TRANSMIT_WAIT -> 4
//   TCP connection refused or closed, (D)TLS handshake or certificate check failed,
//   pinned raw public key mismatch, no credentials for a secure scheme              -> 4
//   4.04 from the repository, host that does not resolve                               -> 7
//   any other non-2.05 answer, a block number that is not the one asked, a changed ETag -> 4
#include "refclient/firmware/coap_pull.h"

#include <coap3/coap.h>
#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "refclient/firmware/firmware_log.h"
#include "refclient/firmware/resolve_host.h"

namespace fc::refclient {

namespace {

CoapPull* self_of(coap_session_t* session) {
  return static_cast<CoapPull*>(coap_get_app_data(coap_session_get_context(session)));
}

coap_response_t response_trampoline(coap_session_t* session, const coap_pdu_t* /*sent*/,
                                    const coap_pdu_t* received, const coap_mid_t /*mid*/) {
  if (auto* self = self_of(session)) self->on_response(received);
  return COAP_RESPONSE_OK;
}

void nack_trampoline(coap_session_t* session, const coap_pdu_t* sent, const coap_nack_reason_t reason,
                     const coap_mid_t /*mid*/) {
  if (auto* self = self_of(session)) self->on_nack(sent, static_cast<int>(reason));
}

int event_trampoline(coap_session_t* session, const coap_event_t event) {
  if (auto* self = self_of(session)) self->on_event(event);
  return 0;
}

Bytes token_of(const coap_pdu_t* pdu) {
  const coap_bin_const_t token = coap_pdu_get_token(pdu);
  return Bytes(token.s, token.s + token.length);
}

std::string code_text(coap_pdu_code_t code) {
  const int value = static_cast<int>(code);
  return fmt::format("{}.{:02}", value >> 5, value & 0x1f);
}

}  // namespace

CoapPull::CoapPull(const PackageUri& uri, PackageReceiver& receiver, TransferTiming timing,
                   const TlsCredentials& repository, std::optional<ResumeFrom> from)
    : uri_(uri), receiver_(receiver), timing_(timing), from_(std::move(from)) {
  proto_ = coap_proto_of_scheme(uri_.scheme).value_or(COAP_PROTO_UDP);
  auto resolved = resolve_host(uri_.host, uri_.port, is_reliable(proto_) ? SOCK_STREAM : SOCK_DGRAM);
  if (auto* why = std::get_if<std::string>(&resolved)) {
    finish(DownloadFailure{UpdateResult::InvalidUri, *why});
    return;
  }
  const auto& address = std::get<ResolvedAddress>(resolved);
  coap_startup();
  context_ = coap_new_context(nullptr);
  if (context_ == nullptr) {
    finish(DownloadFailure{UpdateResult::ConnectionLost, "cannot create a CoAP context"});
    return;
  }
  coap_set_app_data(context_, this);
  coap_register_response_handler(context_, response_trampoline);
  coap_register_nack_handler(context_, nack_trampoline);
  coap_register_event_handler(context_, event_trampoline);
  if (is_reliable(proto_)) {
    // RFC 8323 has no retransmissions: the CSM exchange is bounded like any answer.
    const auto seconds = std::ceil(static_cast<double>(timing_.max_transmit_wait().count()) / 1000.0);
    coap_context_set_csm_timeout(context_, static_cast<unsigned>(std::max(1.0, seconds)));
  }

  coap_address_t server;
  coap_address_init(&server);
  server.size = address.length;
  std::memcpy(&server.addr, &address.address, address.length);
  security_ = std::make_unique<CoapClientSecurity>(repository, "repository", firmware_log());
  if (is_secure(proto_)) firmware_log().info("{} pull with {}", uri_.scheme, repository.describe());
  session_ = security_->open(context_, server, proto_, uri_.host);
  if (outcome_) return;  // the connection failed at once (an event came during open)
  if (session_ == nullptr) {
    finish(DownloadFailure{UpdateResult::ConnectionLost, fmt::format("cannot open a {} session to {}: {}", uri_.scheme,
                                                                     uri_.host, security_->error())});
    return;
  }
  coap_fixed_point_t ack{};
  const auto ack_millis = static_cast<std::uint32_t>(timing_.ack_timeout * 1000.0 + 0.5);
  ack.integer_part = static_cast<uint16_t>(ack_millis / 1000);
  ack.fractional_part = static_cast<uint16_t>(ack_millis % 1000);
  coap_session_set_ack_timeout(session_, ack);
  const auto factor_millis = static_cast<std::uint32_t>(timing_.ack_random_factor * 1000.0 + 0.5);
  coap_session_set_ack_random_factor(session_, coap_fixed_point_t{static_cast<uint16_t>(factor_millis / 1000),
                                                                  static_cast<uint16_t>(factor_millis % 1000)});
  coap_session_set_max_retransmit(session_, static_cast<std::uint16_t>(timing_.max_retransmit));
  if (from_ && from_->offset > 0) {
    // The largest block size (at most the preferred one) that has a block starting there.
    int szx = kPreferredSzx;
    while (szx > 0 && from_->offset % (std::uint64_t{16} << szx) != 0) --szx;
    offset_ = from_->offset;
    firmware_log().info("resuming {} at byte {} (block {} of {} B), ETag {}", uri_.scheme, offset_,
                        offset_ >> (szx + 4), 16 << szx, from_->validator.etag);
    request_block(static_cast<std::uint32_t>(offset_ >> (szx + 4)), szx);
  } else {
    request_block(0, kPreferredSzx);
  }
}

std::optional<Validator> CoapPull::validator() const {
  if (first_block_ || !etag_) return std::nullopt;
  return Validator{to_hex(*etag_), false};
}

CoapPull::~CoapPull() {
  if (context_ != nullptr) coap_set_app_data(context_, nullptr);
  if (session_ != nullptr) coap_session_release(session_);
  if (context_ != nullptr) coap_free_context(context_);
}

void CoapPull::request_block(std::uint32_t num, int szx) {
  asked_num_ = num;
  asked_szx_ = szx;
  // The answer deadline also bounds a separate response an empty ACK promised (RFC 7252
  // §5.2.2), which libcoap's retransmissions no longer cover once the ACK came. The mutant
  // separate-response-waits-forever relies on those retransmissions alone.
  if (timing_.unbounded_separate_response)
    answer_deadline_.reset();
  else
    answer_deadline_.emplace(timing_.max_transmit_wait());
  send_waiting_ = !session_ready();
  if (!send_waiting_) send_request();
}

bool CoapPull::session_ready() const {
  return !is_reliable(proto_) || coap_session_get_state(session_) == COAP_SESSION_STATE_ESTABLISHED;
}

void CoapPull::send_request() {
  const std::uint32_t num = asked_num_;
  const int szx = asked_szx_;
  coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, coap_new_message_id(session_),
                                  coap_session_max_pdu_size(session_));
  if (pdu == nullptr) {
    finish(DownloadFailure{UpdateResult::ConnectionLost, "cannot build a CoAP request"});
    return;
  }
  std::uint8_t token[8];
  size_t token_length = 0;
  coap_session_new_token(session_, &token_length, token);
  coap_add_token(pdu, token_length, token);
  token_.assign(token, token + token_length);

  coap_optlist_t* options = nullptr;
  for (const auto& segment : uri_.path_segments) {
    coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_PATH, segment.size(),
                                                   reinterpret_cast<const std::uint8_t*>(segment.data())));
  }
  for (const auto& segment : uri_.query_segments) {
    coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_URI_QUERY, segment.size(),
                                                   reinterpret_cast<const std::uint8_t*>(segment.data())));
  }
  std::uint8_t block[4];
  const auto block_value = (num << 4) | static_cast<std::uint32_t>(szx);
  const auto block_length = coap_encode_var_safe(block, sizeof block, block_value);
  coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_BLOCK2, block_length, block));
  if (num == 0) {
    // Size2 = 0 asks the repository for the total size (RFC 7959 §4), so a package that
    // cannot fit is refused before a block is stored.
    coap_insert_optlist(&options, coap_new_optlist(COAP_OPTION_SIZE2, 0, nullptr));
  }
  coap_add_optlist_pdu(pdu, &options);
  coap_delete_optlist(options);

  if (coap_send(session_, pdu) == COAP_INVALID_MID) {
    finish(DownloadFailure{UpdateResult::ConnectionLost, "cannot send the CoAP request"});
  }
}

void CoapPull::on_response(const coap_pdu_t* received) {
  if (outcome_ || token_of(received) != token_) return;  // late or foreign answer
  answered_ = true;
  const coap_pdu_code_t code = coap_pdu_get_code(received);
  if (code == COAP_EMPTY_CODE) return;
  if (code != COAP_RESPONSE_CODE_CONTENT) {
    const auto result =
        code == COAP_RESPONSE_CODE_NOT_FOUND ? UpdateResult::InvalidUri : UpdateResult::ConnectionLost;
    finish(DownloadFailure{result,
                           fmt::format("repository answered {} to block {}", code_text(code), asked_num_)});
    return;
  }

  coap_block_t block{};
  const bool has_block = coap_get_block(received, COAP_OPTION_BLOCK2, &block) != 0;
  if (!has_block) {
    // No Block2: the whole body came in one answer, acceptable only as the first block.
    block.num = 0;
    block.m = 0;
    block.szx = static_cast<unsigned>(asked_szx_) & 0x7u;
  }
  const std::uint64_t block_offset = std::uint64_t{block.num} << (block.szx + 4);
  if (block_offset != offset_ || (has_block && block.szx > static_cast<unsigned>(asked_szx_))) {
    finish(DownloadFailure{UpdateResult::ConnectionLost,
                           fmt::format("repository answered block {} (size {}) when block {} was asked",
                                       block.num, 1u << (block.szx + 4), asked_num_)});
    return;
  }

  coap_opt_iterator_t it;
  std::optional<Bytes> etag;
  if (const coap_opt_t* opt = coap_check_option(received, COAP_OPTION_ETAG, &it)) {
    etag = Bytes(coap_opt_value(opt), coap_opt_value(opt) + coap_opt_length(opt));
  }
  if (first_block_ && from_ && from_->offset > 0) {
    // A resumed transfer continues only the representation it began with (RFC 7959 §2.4).
    const auto now = etag ? to_hex(*etag) : std::string();
    if (now != from_->validator.etag && !from_->ignore_validator) {
      outcome_ = PullOutcome{DownloadFailure{UpdateResult::ConnectionLost,
                                             fmt::format("ETag at the resumed block {} is {}, not {}", block.num,
                                                         now.empty() ? "none" : now, from_->validator.etag)},
                             offset_, true};
      answer_deadline_.reset();
      return;
    }
    etag_ = etag;
    first_block_ = false;
  } else if (first_block_) {
    etag_ = etag;
    if (const coap_opt_t* opt = coap_check_option(received, COAP_OPTION_SIZE2, &it)) {
      const std::uint64_t total = coap_decode_var_bytes8(coap_opt_value(opt), coap_opt_length(opt));
      if (auto failure = receiver_.announce_size(total)) {
        finish(std::move(failure));
        return;
      }
    }
    first_block_ = false;
  } else if (etag != etag_) {
    // Never splice two images: a changed ETag aborts the download (no restart from 0).
    finish(DownloadFailure{UpdateResult::ConnectionLost,
                           fmt::format("ETag changed at block {}: {} after {}", block.num,
                                       etag ? to_hex(*etag) : "none", etag_ ? to_hex(*etag_) : "none")});
    return;
  }

  size_t length = 0;
  const std::uint8_t* data = nullptr;
  if (coap_get_data(received, &length, &data) == 0) length = 0;
  const std::size_t block_size = std::size_t{1} << (block.szx + 4);
  if (block.m != 0 && length != block_size) {
    finish(DownloadFailure{UpdateResult::ConnectionLost,
                           fmt::format("block {} carries {} bytes, not {}", block.num, length, block_size)});
    return;
  }
  if (length > 0) {
    if (auto failure = receiver_.accept(ByteView(data, length))) {
      finish(std::move(failure));
      return;
    }
  }
  offset_ += length;
  if (block.m != 0) {
    request_block(block.num + 1, static_cast<int>(block.szx));
  } else {
    finish(std::nullopt);
  }
}

void CoapPull::on_nack(const coap_pdu_t* sent, int reason) {
  if (outcome_ || sent == nullptr || token_of(sent) != token_) return;
  connection_failed(std::string(nack_reason_text(static_cast<coap_nack_reason_t>(reason))));
}

void CoapPull::on_event(coap_event_t event) {
  if (outcome_) return;
  if (const auto failure = session_failure_text(event)) connection_failed(*failure);
}

void CoapPull::connection_failed(const std::string& what) {
  std::string reason;
  if (!answered_ && is_secure(proto_)) {
    reason = fmt::format("the secure connection to the repository could not be established: {}", what);
  } else {
    reason = fmt::format("{} (block {}, after {} bytes)", what, asked_num_, offset_);
  }
  if (security_ && !security_->error().empty()) reason += "; " + security_->error();
  finish(DownloadFailure{UpdateResult::ConnectionLost, std::move(reason)});
}

void CoapPull::finish(std::optional<DownloadFailure> failure) {
  if (outcome_) return;
  answer_deadline_.reset();
  outcome_ = PullOutcome{std::move(failure), offset_};
}

void CoapPull::poll() {
  if (outcome_ || context_ == nullptr) return;
  coap_io_process(context_, COAP_IO_NO_WAIT);
  if (!outcome_ && send_waiting_ && session_ready()) {
    send_waiting_ = false;
    send_request();
  }
  if (!outcome_ && answer_deadline_ && answer_deadline_->passed()) {
    const auto limit = timing_.max_transmit_wait().count();
    finish(DownloadFailure{
        UpdateResult::ConnectionLost,
        send_waiting_ ? fmt::format("the {} connection to the repository was not established within {} ms",
                                    proto_name(proto_), limit)
                      : fmt::format("no answer to block {} within {} ms", asked_num_, limit)});
  }
}

std::vector<int> CoapPull::wait_fds() const {
  if (outcome_ || context_ == nullptr) return {};
  const int fd = coap_context_get_coap_fd(context_);
  if (fd < 0) return {};
  return {fd};
}

int CoapPull::next_timeout_ms() const {
  if (outcome_) return 0;
  if (context_ == nullptr) return 0;
  coap_tick_t now = 0;
  coap_ticks(&now);
  const unsigned int coap_wait = coap_io_prepare_epoll(context_, now);
  std::int64_t wait = answer_deadline_ ? answer_deadline_->remaining().count() : 1000;
  if (coap_wait > 0) wait = std::min<std::int64_t>(wait, coap_wait);
  // Without epoll there is no descriptor to wait on: come back soon to read.
  if (coap_context_get_coap_fd(context_) < 0) wait = std::min<std::int64_t>(wait, 10);
  return static_cast<int>(std::clamp<std::int64_t>(wait, 0, std::numeric_limits<int>::max()));
}

}  // namespace fc::refclient
