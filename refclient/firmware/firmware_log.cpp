// Creates the "firmware" stderr logger on first use.
#include "refclient/firmware/firmware_log.h"

#include <spdlog/sinks/stdout_color_sinks.h>  // declares the stderr_color_* factories too

#include <mutex>

namespace fc::refclient {

spdlog::logger& firmware_log() {
  static std::once_flag once;
  static std::shared_ptr<spdlog::logger> logger;
  std::call_once(once, [] {
    logger = spdlog::get("firmware");
    if (!logger) logger = spdlog::stderr_color_mt("firmware");
  });
  return *logger;
}

}  // namespace fc::refclient
