// Pull over CoAP (UDP, DTLS, TCP or TLS by the URI's scheme): one GET per Block2 block
// (RFC 7959 §2.4), done by hand so every block's number and ETag are checked before its bytes
// reach the slot.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "refclient/firmware/pull_download.h"
#include "refclient/security/coap_client_security.h"
#include "suite/common/bytes.h"
#include "suite/common/clock.h"

namespace fc::refclient {

class CoapPull final : public PullDownload {
 public:
  // Blocks of 1024 bytes are asked for; the repository may answer smaller ones.
  static constexpr int kPreferredSzx = 6;

  // `repository` is used for coaps and coaps+tcp (PSK, RPK or X.509, by what it holds).
  // With `from`, the first block asked is the one at from->offset (the largest block size that
  // starts there), and its ETag must be from->validator's.
  CoapPull(const PackageUri& uri, PackageReceiver& receiver, TransferTiming timing, const TlsCredentials& repository,
           std::optional<ResumeFrom> from = std::nullopt);
  ~CoapPull() override;
  CoapPull(const CoapPull&) = delete;
  CoapPull& operator=(const CoapPull&) = delete;

  void poll() override;
  std::vector<int> wait_fds() const override;
  int next_timeout_ms() const override;
  std::optional<PullOutcome> outcome() const override { return outcome_; }
  std::optional<Validator> validator() const override;

  // libcoap callbacks (static trampolines find the object through the context's app data).
  void on_response(const coap_pdu_t* received);
  void on_nack(const coap_pdu_t* sent, int reason);
  void on_event(coap_event_t event);

 private:
  void request_block(std::uint32_t num, int szx);
  void send_request();
  // Over TCP/TLS only after the CSM exchange: libcoap 4.3.1 would block in coap_send (up to
  // 5 s, in a nested I/O loop) for a session's first request.
  bool session_ready() const;
  void finish(std::optional<DownloadFailure> failure);
  // Result 4 with the words for a link that failed: before any answer over a secure transport
  // that is a handshake or certificate failure, and says so.
  void connection_failed(const std::string& what);

  PackageUri uri_;
  PackageReceiver& receiver_;
  TransferTiming timing_;
  coap_proto_t proto_ = COAP_PROTO_UDP;
  std::unique_ptr<CoapClientSecurity> security_;  // outlives session_ (declared before it)
  coap_context_t* context_ = nullptr;
  coap_session_t* session_ = nullptr;
  Bytes token_;  // of the request in flight
  std::uint32_t asked_num_ = 0;
  int asked_szx_ = kPreferredSzx;
  std::uint64_t offset_ = 0;   // bytes received so far
  std::optional<Bytes> etag_;  // from the first block; nullopt = the first had none
  bool first_block_ = true;
  bool answered_ = false;  // any answer came back: the connection (and handshake) worked
  bool send_waiting_ = false;  // the asked block goes out once session_ready()
  std::optional<Deadline> answer_deadline_;
  std::optional<PullOutcome> outcome_;
  std::optional<ResumeFrom> from_;
};

}  // namespace fc::refclient
