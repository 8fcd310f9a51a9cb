#include "suite/coap/runtime.h"

#include <coap3/coap.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

#include "suite/coap/trace.h"

namespace fc::coap {

namespace {
struct WarningSink {
  std::mutex mutex;
  Trace* trace = nullptr;
  std::string channel;
};

WarningSink& warning_sink() {
  static WarningSink sink;
  return sink;
}

void log_to_spdlog(coap_log_t level, const char* message) {
  std::string text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (level <= LOG_WARNING) {
    auto& sink = warning_sink();
    std::lock_guard lock(sink.mutex);
    if (sink.trace && level > LOG_ERR) {
      // In the case's trace, so in its reports: the console (one line per case) shows it only
      // with --verbose.
      sink.trace->note(sink.channel, "libcoap: " + text);
      spdlog::debug("libcoap: {}", text);
      return;
    }
    if (sink.trace) sink.trace->note(sink.channel, "libcoap: " + text);
  }
  if (level <= LOG_ERR) {
    spdlog::error("libcoap: {}", text);
  } else if (level <= LOG_WARNING) {
    spdlog::warn("libcoap: {}", text);
  } else if (level <= LOG_INFO) {
    spdlog::debug("libcoap: {}", text);
  } else {
    spdlog::trace("libcoap: {}", text);
  }
}
}  // namespace

void ensure_libcoap_started() {
  static std::once_flag once;
  std::call_once(once, [] {
    coap_startup();
    coap_set_log_handler(log_to_spdlog);
    coap_set_log_level(spdlog::should_log(spdlog::level::trace) ? LOG_DEBUG : LOG_WARNING);
  });
}

void record_libcoap_warnings(Trace* trace, std::string channel) {
  auto& sink = warning_sink();
  std::lock_guard lock(sink.mutex);
  sink.trace = trace;
  sink.channel = std::move(channel);
}

}  // namespace fc::coap
