// The client side's logger ("client", stderr) and the process-wide log setup: one level for
// every logger, and libcoap's own messages routed through spdlog at matching levels.
#pragma once

#include <string>

#include <spdlog/spdlog.h>

namespace fc::refclient {

spdlog::logger& client_log();

// `level` is trace, debug, info, warn or error (the --log-level values).
void configure_logging(const std::string& level);

}  // namespace fc::refclient
