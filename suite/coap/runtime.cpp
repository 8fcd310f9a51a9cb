#include "suite/coap/runtime.h"

#include <coap3/coap.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

namespace fc::coap {

namespace {
void log_to_spdlog(coap_log_t level, const char* message) {
  std::string text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
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

}  // namespace fc::coap
