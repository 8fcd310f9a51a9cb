#include "suite/server/send_interface.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/content_format.h"

namespace fc::server {

namespace code = coap::code;
using lwm2m::ContentFormat;

bool is_send_format(std::uint16_t content_format) {
  for (auto f : {ContentFormat::SenmlJson, ContentFormat::SenmlCbor, ContentFormat::LwM2mCbor})
    if (content_format == static_cast<std::uint16_t>(f)) return true;
  return false;
}

bool SendInterface::handles(const coap::Message& request) {
  return request.uri_path.size() == 1 && request.uri_path.front() == "dp";
}

const Registration* SendInterface::sender(const coap::IncomingRequest& request) const {
  // The session identifies the device (its DTLS/TLS session, or its UDP address); a device
  // whose address changed is found by its peer string too.
  if (request.session)
    for (const auto* r : registry_.all())
      if (r->session == request.session) return r;
  for (const auto* r : registry_.all())
    if (r->peer == request.peer) return r;
  return nullptr;
}

coap::Reply SendInterface::keep(SendReport report, std::string diagnostic) {
  if (report.problem)
    spdlog::warn("Send from {} ({}) refused with {}: {}", report.peer, report.endpoint, report.answered.str(),
                 *report.problem);
  else
    spdlog::debug("Send from {} ({}): {} values", report.peer, report.endpoint, report.records.size());
  const auto answered = report.answered;
  reports_.push_back(std::move(report));
  return diagnostic.empty() ? coap::Reply::with(answered) : coap::Reply::text(answered, diagnostic);
}

coap::Reply SendInterface::handle(const coap::IncomingRequest& request) {
  const auto& m = request.message;
  SendReport report;
  report.time = Clock::now();
  report.peer = request.peer;
  report.content_format = m.content_format;
  report.payload = m.payload;
  // The list only grows while a run lasts, so a device Sending in a loop is cut off.
  if (reports_.size() >= kMaxReports)
    return coap::Reply::text(code::ServiceUnavailable, fmt::format("more than {} Sends in this run", kMaxReports));
  const auto* registration = sender(request);
  if (registration) report.endpoint = registration->endpoint;
  auto refuse = [&](coap::Code c, std::string why) {
    report.answered = c;
    report.problem = why;
    return keep(std::move(report), std::move(why));
  };
  if (m.code != code::Post) return refuse(code::MethodNotAllowed, "only POST (Send) is allowed on /dp");
  if (!registration) return refuse(code::Forbidden, "Send from " + request.peer + ", which is not registered");
  if (m.block1) return refuse(code::RequestEntityTooLarge, "Send in Block1 blocks is not taken by this server");
  if (!m.content_format)
    return refuse(code::BadRequest, "Send without a Content-Format (expected 110 SenML JSON, 112 SenML CBOR or "
                                    "11544 LwM2M CBOR)");
  if (!is_send_format(*m.content_format))
    return refuse(code::UnsupportedContentFormat,
                  fmt::format("Send in Content-Format {}; a Send is in 110 (SenML JSON), 112 (SenML CBOR) or "
                              "11544 (LwM2M CBOR), TS Transport 6.5",
                              *m.content_format));
  if (m.payload.empty()) return refuse(code::BadRequest, "Send with an empty payload");
  try {
    report.records = lwm2m::decode(static_cast<ContentFormat>(*m.content_format), lwm2m::Path{}, m.payload);
  } catch (const lwm2m::CodecError& e) {
    return refuse(code::BadRequest, fmt::format("Send payload (Content-Format {}) does not decode: {}",
                                                *m.content_format, e.what()));
  }
  report.answered = code::Changed;
  return keep(std::move(report), {});
}

}  // namespace fc::server
