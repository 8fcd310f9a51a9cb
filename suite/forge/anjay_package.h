// The package format the Anjay demo client expects (docs/third-party-clients.md).
//
// Layout (big-endian integers):
//   0   8  magic "ANJAY_FW"
//   8   2  header version (2)
//   10  2  force-error code: the failure the demo simulates
//   12  4  CRC-32 (IEEE) of the payload only
//   16  1  version string length n (1..24)
//   17  n  version string
//   17+n   payload
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "suite/common/bytes.h"

namespace fc::forge::anjay {

inline constexpr std::array<std::uint8_t, 8> kMagic{'A', 'N', 'J', 'A', 'Y', '_', 'F', 'W'};
inline constexpr std::uint16_t kHeaderVersion = 2;
inline constexpr std::size_t kMaxVersionLength = 24;
inline constexpr std::size_t kFixedHeaderSize = 17;

// What the demo is told to simulate; codes outside this list are legal to send.
enum class ForceError : std::uint16_t {
  None = 0,
  OutOfMemory = 1,     // meant for Update Result 3
  FailedUpdate = 2,    // meant for Update Result 8
  DelayedSuccess = 3,  // restart, then success
  DelayedFailure = 4,  // restart, then failure
  SetSuccess = 5,      // success set inside the update callback
  SetFailure = 6,      // failure set inside the update callback
  DoNothing = 7,       // stays in Updating
  Defer = 8,           // object 1.1 deferral
};

struct Header {
  std::array<std::uint8_t, 8> magic = kMagic;
  std::uint16_t header_version = kHeaderVersion;
  std::uint16_t force_error = 0;
  std::optional<std::uint32_t> crc;  // computed from the payload when not given
  std::string version = "1.0";
};

// Header followed by payload. Accepts any version length a byte holds (0..255) so malformed
// headers can be written; throws std::invalid_argument above that.
Bytes encode(const Header& header, ByteView payload);

// A payload the demo can really install. The demo installs by execv() of the payload with its
// own arguments (docs/third-party-clients.md), so a POSIX shell script that deletes its own
// downloaded file and then replaces itself with `program`, passing on every argument, restarts
// the client in the same process: same PID and log, and a fresh registration. Comment lines
// of seeded letters pad it to `size` bytes (never shorter than the script itself), so
// transfers are as long as the profile's image_size and differ per seed. The shell never
// reads past the `exec` line. Throws std::invalid_argument for a relative or empty program,
// or one whose path holds a newline.
Bytes reexec_payload(const std::filesystem::path& program, std::size_t size, std::uint64_t seed);

}  // namespace fc::forge::anjay
