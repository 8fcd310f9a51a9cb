// LwM2M 1.1 Send (TS Core 6.4.8) for --report-by-send: each change of State (/5/0/3) or Update
// Result (/5/0/5) is queued and sent to the server as POST /dp in SenML CBOR, one at a time and
// in order, while the client is registered, and both once after each Register. Notifications go on as before: Send is a second
// channel, so a server that only observes sees the same as without it.
#pragma once

#include <coap3/coap.h>

#include <deque>
#include <optional>
#include <set>
#include <string>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/path.h"
#include "suite/lwm2m/value.h"

namespace fc::refclient {

class SendReporter {
 public:
  // `enabled`: --report-by-send; `mutants`: the --mutant names (send-wrong-result lives here).
  SendReporter(bool enabled, const std::set<std::string>& mutants);

  bool enabled() const { return enabled_; }
  // True for the resources this reporter Sends.
  static bool reports(const lwm2m::Path& resource);
  // `resource` now reads `snapshot`: queue a Send of it.
  void changed(const lwm2m::Path& resource, lwm2m::Records snapshot);
  // Sends the next queued report on `session` when none is in flight; `answer_by` bounds the
  // wait for its answer (a lost one is given up then, the next goes out).
  void pump(coap_session_t* session, Clock::time_point now, Clock::duration answer_by);
  // A response or a failure (NACK) for `token`: true when it was this reporter's Send.
  bool answered(const Bytes& token, coap_pdu_code_t code);
  bool failed(const Bytes& token, const std::string& why);
  // Nothing queued and nothing in flight.
  bool idle() const { return queue_.empty() && !in_flight_; }

 private:
  bool enabled_;
  bool wrong_result_;
  std::deque<lwm2m::Records> queue_;
  std::optional<Bytes> in_flight_;
  Clock::time_point deadline_{};
};

}  // namespace fc::refclient
