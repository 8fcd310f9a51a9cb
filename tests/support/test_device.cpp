#include "tests/support/test_device.h"

#include <stdexcept>

namespace fc::testing {

using namespace fc::coap;

TestDevice::TestDevice(EventLoop& loop, Trace& trace, const BoundAddress& server, std::string endpoint)
    : loop_(loop), context_(loop, "device", trace), endpoint_(std::move(endpoint)) {
  session_ = context_.connect(server.host, server.port);
  CoapContext::set_transmission(session_, 1.0, 1);
  context_.on_request([this](const IncomingRequest& in) {
    Reply reply = on_request ? on_request(in) : Reply::with(code::NotFound);
    if (in.message.observe && *in.message.observe == 0 && reply.code.is_success()) {
      observers[in.message.path()] = in.message.token;
      reply.observe = 1;  // the first response of an observation carries Observe (RFC 7641 §3.2)
    }
    return reply;
  });
}

Outcome TestDevice::request(const OutgoingRequest& request, Duration timeout) {
  std::optional<Outcome> got;
  auto token = context_.send(session_, request, [&got](const Outcome& o) { got = o; });
  if (!loop_.await([&] { return got.has_value(); }, Deadline(timeout))) {
    context_.forget(token);
    Outcome none;
    none.kind = Outcome::Kind::Timeout;
    none.error = "test device: no answer from the server";
    return none;
  }
  return *got;
}

Outcome TestDevice::register_now(std::uint32_t lifetime, std::string objects) {
  OutgoingRequest r;
  r.method = code::Post;
  r.uri_path = {"rd"};
  r.uri_query = {"ep=" + endpoint_, "lt=" + std::to_string(lifetime), "lwm2m=1.1", "b=U"};
  r.content_format = 40;
  r.payload = to_bytes(objects);
  auto outcome = request(r);
  if (outcome.kind == Outcome::Kind::Response && outcome.response.code == code::Created)
    location_ = outcome.response.location();
  return outcome;
}

Outcome TestDevice::update(std::vector<std::string> queries, std::string objects) {
  OutgoingRequest r;
  r.method = code::Post;
  r.uri_path = {"rd", location_.substr(location_.rfind('/') + 1)};
  r.uri_query = std::move(queries);
  if (!objects.empty()) {
    r.content_format = 40;
    r.payload = to_bytes(objects);
  }
  return request(r);
}

Outcome TestDevice::deregister() {
  OutgoingRequest r;
  r.method = code::Delete;
  r.uri_path = {"rd", location_.substr(location_.rfind('/') + 1)};
  return request(r);
}

void TestDevice::notify(const std::string& path, const Reply& content) {
  auto it = observers.find(path);
  if (it == observers.end()) throw std::logic_error("nobody observes " + path);
  context_.notify(session_, it->second, sequence_++, content);
}

}  // namespace fc::testing
