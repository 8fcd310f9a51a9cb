// A scripted LwM2M device for integration tests: a libcoap client context in the test's own
// event loop that registers, answers requests through a handler the test sets, and notifies.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/context.h"

namespace fc::testing {

class TestDevice {
 public:
  TestDevice(coap::EventLoop& loop, coap::Trace& trace, const coap::BoundAddress& server, std::string endpoint);

  // Sends a request to the server and waits (bounded) for the outcome.
  coap::Outcome request(const coap::OutgoingRequest& request, Duration timeout = Duration(3000));
  // POST /rd?ep=<endpoint>&lt=<lifetime>&lwm2m=1.1&b=U with a typical object list.
  coap::Outcome register_now(std::uint32_t lifetime = 60,
                             std::string objects = "</>;rt=\"oma.lwm2m\";ct=11542,</1/0>,</3/0>,</5>;ver=1.0,</5/0>");
  coap::Outcome update(std::vector<std::string> queries = {}, std::string objects = {});
  coap::Outcome deregister();

  // How the device answers requests from the server; the default answers 4.04.
  std::function<coap::Reply(const coap::IncomingRequest&)> on_request;
  // Observe tokens the device accepted, by Uri-Path ("/5/0/3").
  std::map<std::string, Bytes> observers;
  void notify(const std::string& path, const coap::Reply& content);

  const std::string& location() const { return location_; }
  coap::CoapContext& context() { return context_; }
  coap_session_t* session() const { return session_; }

 private:
  coap::EventLoop& loop_;
  coap::CoapContext context_;
  coap_session_t* session_;
  std::string endpoint_;
  std::string location_;
  std::uint32_t sequence_ = 2;
};

}  // namespace fc::testing
