// The /5 vocabulary the firmware side shares: State, Update Result and why a download failed.
#pragma once

#include <string>
#include <string_view>

#include "suite/lwm2m/firmware_object.h"

namespace fc::refclient {

// State and Update Result are the suite's own model of /5 (suite/lwm2m/firmware_object.h), so
// the reference client and the cases that judge it speak one vocabulary.
using State = lwm2m::firmware::State;
using UpdateResult = lwm2m::firmware::UpdateResult;

inline constexpr int as_number(State state) { return static_cast<int>(state); }
inline constexpr int as_number(UpdateResult result) { return static_cast<int>(result); }

// Why a transfer stopped early, in the Update Result it maps to and one line for the log.
struct DownloadFailure {
  UpdateResult result = UpdateResult::ConnectionLost;
  std::string reason;
  int http_status = 0;  // the HTTP status that ended it, 0 for any other cause
};

}  // namespace fc::refclient
