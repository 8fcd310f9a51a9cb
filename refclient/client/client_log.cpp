#include "refclient/client/client_log.h"

#include <coap3/coap.h>

#include <mutex>
#include <string_view>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace fc::refclient {

namespace {

spdlog::logger& libcoap_log() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> logger;
  std::call_once(once, [] {
    logger = spdlog::get("libcoap");
    if (!logger) logger = spdlog::stderr_color_mt("libcoap");
  });
  return *logger;
}

void forward_coap_log(coap_log_t level, const char* message) {
  std::string_view text(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  auto spd = spdlog::level::trace;
  if (level <= LOG_ERR) {
    spd = spdlog::level::err;
  } else if (level <= LOG_WARNING) {
    spd = spdlog::level::warn;
  } else if (level <= LOG_INFO) {
    spd = spdlog::level::debug;
  }
  libcoap_log().log(spd, "{}", text);
}

}  // namespace

spdlog::logger& client_log() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> logger;
  std::call_once(once, [] {
    logger = spdlog::get("client");
    if (!logger) logger = spdlog::stderr_color_mt("client");
  });
  return *logger;
}

void configure_logging(const std::string& level) {
  const auto spd = spdlog::level::from_str(level);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
  spdlog::set_level(spd);
  client_log();
  libcoap_log();
  spdlog::set_level(spd);  // again, for the loggers just created
  spdlog::flush_on(spdlog::level::trace);

  coap_set_log_handler(forward_coap_log);
  if (spd <= spdlog::level::trace) {
    coap_set_log_level(LOG_DEBUG);
  } else if (spd <= spdlog::level::debug) {
    coap_set_log_level(LOG_INFO);
  } else if (spd <= spdlog::level::warn) {
    coap_set_log_level(LOG_WARNING);
  } else {
    coap_set_log_level(LOG_ERR);
  }
}

}  // namespace fc::refclient
