// The /5 vocabulary the firmware side shares: State, Update Result and why a download failed.
#pragma once

#include <string>
#include <string_view>

namespace fc::refclient {

// /5/0/3 (reference §2.1).
enum class State : int { Idle = 0, Downloading = 1, Downloaded = 2, Updating = 3 };

// /5/0/5 (reference §2.2); 10 and 11 exist only in object version 1.1.
enum class UpdateResult : int {
  Initial = 0,
  Success = 1,
  NotEnoughFlash = 2,
  OutOfRam = 3,
  ConnectionLost = 4,
  IntegrityFailure = 5,
  UnsupportedType = 6,
  InvalidUri = 7,
  UpdateFailed = 8,
  UnsupportedProtocol = 9,
  Cancelled = 10,
  Deferred = 11,
};

inline constexpr int to_int(State state) { return static_cast<int>(state); }
inline constexpr int to_int(UpdateResult result) { return static_cast<int>(result); }

// Why a transfer stopped early, in the Update Result it maps to and one line for the log.
struct DownloadFailure {
  UpdateResult result = UpdateResult::ConnectionLost;
  std::string reason;
};

}  // namespace fc::refclient
