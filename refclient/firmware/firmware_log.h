// The firmware side's logger: one line per State/Result change on stderr ("firmware" logger,
// so the plumbing's global spdlog level and pattern apply to it).
#pragma once

#include <spdlog/spdlog.h>

namespace fc::refclient {

spdlog::logger& firmware_log();

}  // namespace fc::refclient
