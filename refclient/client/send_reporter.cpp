#include "refclient/client/send_reporter.h"

#include "refclient/client/client_log.h"
#include "refclient/client/coap_messages.h"
#include "refclient/firmware/mutants.h"
#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/content_format.h"

namespace fc::refclient {

namespace {
const lwm2m::Path kState{5, 0, 3};
const lwm2m::Path kUpdateResult{5, 0, 5};

std::string describe(const lwm2m::Records& records) {
  std::string out;
  for (const auto& r : records) out += (out.empty() ? "" : ", ") + r.path.str() + "=" + r.value.describe();
  return out;
}
}  // namespace

SendReporter::SendReporter(bool enabled, const std::set<std::string>& mutants)
    : enabled_(enabled), wrong_result_(mutants.count(std::string(mutant::kSendWrongResult)) != 0) {}

bool SendReporter::reports(const lwm2m::Path& resource) { return resource == kState || resource == kUpdateResult; }

void SendReporter::changed(const lwm2m::Path& resource, lwm2m::Records snapshot) {
  if (!enabled_ || !reports(resource)) return;
  if (wrong_result_) {
    for (auto& r : snapshot)
      if (r.path == kUpdateResult) r.value = lwm2m::Value(r.value.as_int() + 1);
  }
  queue_.push_back(std::move(snapshot));
}

void SendReporter::pump(coap_session_t* session, Clock::time_point now, Clock::duration answer_by) {
  if (in_flight_ && now >= deadline_) {
    client_log().warn("Send POST /dp: no answer in time; the next report goes out");
    in_flight_.reset();
  }
  if (in_flight_ || queue_.empty() || !session) return;
  const auto records = std::move(queue_.front());
  queue_.pop_front();
  Bytes payload;
  try {
    payload = lwm2m::encode_senml_cbor(lwm2m::Path{5, 0}, records);
  } catch (const std::exception& e) {
    client_log().error("Send: cannot encode {}: {}", describe(records), e.what());
    return;
  }
  coap_pdu_t* pdu = coap_new_pdu(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, session);
  if (!pdu) {
    client_log().error("Send: libcoap cannot allocate the request");
    return;
  }
  uint8_t token[8];
  size_t token_length = 0;
  coap_session_new_token(session, &token_length, token);
  coap_add_token(pdu, token_length, token);
  add_string_option(pdu, COAP_OPTION_URI_PATH, "dp");
  add_uint_option(pdu, COAP_OPTION_CONTENT_FORMAT, static_cast<std::uint32_t>(lwm2m::ContentFormat::SenmlCbor));
  coap_add_data(pdu, payload.size(), payload.data());
  in_flight_ = Bytes(token, token + token_length);
  deadline_ = now + answer_by;
  client_log().info("Send POST /dp {}", describe(records));
  if (coap_send(session, pdu) == COAP_INVALID_MID) {
    client_log().warn("Send POST /dp: libcoap could not send it");
    in_flight_.reset();
  }
}

bool SendReporter::answered(const Bytes& token, coap_pdu_code_t code) {
  if (!in_flight_ || *in_flight_ != token) return false;
  in_flight_.reset();
  if (code != COAP_RESPONSE_CODE_CHANGED) client_log().warn("Send POST /dp answered {}", code_text(code));
  return true;
}

bool SendReporter::failed(const Bytes& token, const std::string& why) {
  if (!in_flight_ || *in_flight_ != token) return false;
  in_flight_.reset();
  client_log().warn("Send POST /dp failed: {}", why);
  return true;
}

}  // namespace fc::refclient
