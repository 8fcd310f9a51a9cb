// A POSIX ustar archive of regular files, written and read in memory: the evidence bundle's
// container. Reading is strict (header checksums, zero padding, the two zero end blocks), so
// that any changed byte of an archive is either refused here or changes a member's contents.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fc::reports {

struct TarMember {
  std::string name;  // relative, '/'-separated: "results.json", "pcap/FU-OBJ-751.pcap"
  std::string data;
};

// An archive that is not a well-formed ustar archive of regular files: says what and at which
// byte offset (and member, when known).
class TarFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The archive's bytes; members in the given order, mode 0644, owner 0, modification time
// `mtime_unix_s`. Throws std::invalid_argument for a name ustar cannot hold (over 255 bytes,
// absolute, with "..", or a file name part over 100 bytes).
std::string write_tar(const std::vector<TarMember>& members, std::int64_t mtime_unix_s);

// Every member; throws TarFormatError for a truncated or altered archive, a member that is not a
// regular file, an unsafe name or a name that appears twice.
std::vector<TarMember> read_tar(std::string_view archive);

}  // namespace fc::reports
