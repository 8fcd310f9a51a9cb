// Pull over CoAP/UDP: one GET per Block2 block (RFC 7959 §2.4), done by hand so every block's
// number and ETag are checked before its bytes reach the slot.
#pragma once

#include <optional>
#include <vector>

#include "refclient/firmware/pull_download.h"
#include "suite/common/bytes.h"
#include "suite/common/clock.h"

struct coap_context_t;
struct coap_session_t;
struct coap_pdu_t;

namespace fc::refclient {

class CoapPull final : public PullDownload {
 public:
  // Blocks of 1024 bytes are asked for; the repository may answer smaller ones.
  static constexpr int kPreferredSzx = 6;

  CoapPull(const PackageUri& uri, PackageReceiver& receiver, TransferTiming timing);
  ~CoapPull() override;
  CoapPull(const CoapPull&) = delete;
  CoapPull& operator=(const CoapPull&) = delete;

  void poll() override;
  std::vector<int> wait_fds() const override;
  int next_timeout_ms() const override;
  std::optional<PullOutcome> outcome() const override { return outcome_; }

  // libcoap callbacks (static trampolines find the object through the context's app data).
  void on_response(const coap_pdu_t* received);
  void on_nack(const coap_pdu_t* sent, int reason);

 private:
  void request_block(std::uint32_t num, int szx);
  void finish(std::optional<DownloadFailure> failure);

  PackageUri uri_;
  PackageReceiver& receiver_;
  TransferTiming timing_;
  coap_context_t* context_ = nullptr;
  coap_session_t* session_ = nullptr;
  Bytes token_;  // of the request in flight
  std::uint32_t asked_num_ = 0;
  int asked_szx_ = kPreferredSzx;
  std::uint64_t offset_ = 0;   // bytes received so far
  std::optional<Bytes> etag_;  // from the first block; nullopt = the first had none
  bool first_block_ = true;
  std::optional<Deadline> answer_deadline_;
  std::optional<PullOutcome> outcome_;
};

}  // namespace fc::refclient
