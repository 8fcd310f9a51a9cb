// The LwM2M 1.1 Send operation (TS Core §6.4.8 / Transport §6.5): a device reports values
// unasked with POST /dp in SenML JSON, SenML CBOR or LwM2M CBOR. Each report is kept, decoded
// or with why it does not decode, for the cases to read like notifications.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/context.h"
#include "suite/common/clock.h"
#include "suite/lwm2m/value.h"
#include "suite/server/registry.h"

namespace fc::server {

struct SendReport {
  Clock::time_point time;
  std::string endpoint;  // empty when the sender is not registered
  std::string peer;
  std::optional<std::uint16_t> content_format;
  Bytes payload;
  lwm2m::Records records;              // decoded; empty when `problem` is set
  std::optional<std::string> problem;  // why the report was refused (format, byte offset)
  coap::Code answered;
};

class SendInterface {
 public:
  explicit SendInterface(Registry& registry) : registry_(registry) {}

  // True for requests to /dp, which this interface answers.
  static bool handles(const coap::Message& request);
  // 2.04 with the report kept; 4.00 (does not decode), 4.15 (not a Send format), 4.05 (not
  // POST) or 4.03 (the sender is not registered) with a diagnostic payload, kept as well.
  coap::Reply handle(const coap::IncomingRequest& request);

  // Every report in arrival order; callers remember how far they have read.
  const std::vector<SendReport>& reports() const { return reports_; }

  // Reports beyond this many are answered 5.03 and not kept (a device Sending in a loop).
  static constexpr std::size_t kMaxReports = 100'000;

 private:
  Registry& registry_;
  std::vector<SendReport> reports_;

  const Registration* sender(const coap::IncomingRequest& request) const;
  coap::Reply keep(SendReport report, std::string diagnostic);
};

// The Content-Formats a Send may use (TS Transport §6.5: SenML JSON, SenML CBOR, LwM2M CBOR).
bool is_send_format(std::uint16_t content_format);

}  // namespace fc::server
