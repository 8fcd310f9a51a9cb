// One download's path from the wire to the slot: the modelled RAM budget, the flash size,
// the streaming package verifier and the slot writer. Push and pull feed it the same way.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>

#include "refclient/firmware/firmware_types.h"
#include "refclient/firmware/slot_store.h"
#include "suite/package/reference_package.h"

namespace fc::refclient {

// The RAM a block needs on top of the client's fixed use (object state, URI, hash context):
// a block larger than ram_limit - kRamOverhead does not fit (Update Result 3).
inline constexpr std::uint64_t kRamOverhead = 256;

struct ReceiveLimits {
  std::optional<std::uint64_t> flash_size;  // bytes the download slot can hold
  std::optional<std::uint64_t> ram_limit;   // bytes of RAM the client may use
};

class PackageReceiver {
 public:
  PackageReceiver(std::unique_ptr<SlotWriter> writer, const package::VerifyKey& key, ReceiveLimits limits);
  ~PackageReceiver();
  PackageReceiver(const PackageReceiver&) = delete;
  PackageReceiver& operator=(const PackageReceiver&) = delete;

  // The total size the sender announced (Size1, Size2, Content-Length): a package that
  // cannot fit fails here, before any byte is stored.
  std::optional<DownloadFailure> announce_size(std::uint64_t total);
  // One block or chunk: RAM check, flash check, verifier (an unsupported type fails as soon
  // as the header is in), then the slot. After a failure the receiver accepts nothing more.
  std::optional<DownloadFailure> accept(ByteView chunk);

  std::uint64_t bytes() const { return bytes_; }
  // Ends verification; the caller then commits or abandons.
  package::Verification finish();
  void commit();  // makes the slot content durable; throws std::runtime_error on I/O errors
  void abandon() noexcept;
  // The bytes received stay in the slot's partial file (SlotWriter::keep_partial).
  void keep_partial() noexcept;

 private:
  std::unique_ptr<SlotWriter> writer_;
  package::StreamVerifier verifier_;
  ReceiveLimits limits_;
  std::uint64_t bytes_ = 0;
  bool failed_ = false;
};

}  // namespace fc::refclient
