// The per-block checks, in the order a device with a RAM buffer and a flash slot meets them.
#include "refclient/firmware/package_receiver.h"

#include <fmt/format.h>

namespace fc::refclient {

PackageReceiver::PackageReceiver(std::unique_ptr<SlotWriter> writer, const package::VerifyKey& key,
                                 ReceiveLimits limits)
    : writer_(std::move(writer)), verifier_(key), limits_(limits) {}

PackageReceiver::~PackageReceiver() { abandon(); }

std::optional<DownloadFailure> PackageReceiver::announce_size(std::uint64_t total) {
  if (limits_.flash_size && total > *limits_.flash_size) {
    failed_ = true;
    return DownloadFailure{
        UpdateResult::NotEnoughFlash,
        fmt::format("package of {} bytes announced, the slot holds {}", total, *limits_.flash_size)};
  }
  return std::nullopt;
}

std::optional<DownloadFailure> PackageReceiver::accept(ByteView chunk) {
  if (failed_) return DownloadFailure{UpdateResult::ConnectionLost, "download already failed"};
  auto fail = [this](UpdateResult result, std::string reason) {
    failed_ = true;
    return std::optional<DownloadFailure>(DownloadFailure{result, std::move(reason)});
  };
  if (limits_.ram_limit) {
    const std::uint64_t budget = *limits_.ram_limit > kRamOverhead ? *limits_.ram_limit - kRamOverhead : 0;
    if (chunk.size() > budget) {
      return fail(
          UpdateResult::OutOfRam,
          fmt::format("block of {} bytes does not fit the {} bytes of RAM left", chunk.size(), budget));
    }
  }
  if (limits_.flash_size && bytes_ + chunk.size() > *limits_.flash_size) {
    return fail(UpdateResult::NotEnoughFlash,
                fmt::format("slot full: {} bytes stored, {} more do not fit in {}", bytes_, chunk.size(),
                            *limits_.flash_size));
  }
  verifier_.update(chunk);
  if (verifier_.early_verdict() == package::Verdict::UnsupportedType) {
    return fail(UpdateResult::UnsupportedPackageType, verifier_.finish().reason);
  }
  try {
    writer_->append(chunk);
  } catch (const std::exception& e) {
    // A storage write error is a flash problem (Anjay maps it to 2 as well).
    return fail(UpdateResult::NotEnoughFlash, e.what());
  }
  bytes_ += chunk.size();
  return std::nullopt;
}

package::Verification PackageReceiver::finish() { return verifier_.finish(); }

void PackageReceiver::commit() { writer_->commit(); }

void PackageReceiver::abandon() noexcept {
  if (writer_) writer_->abandon();
}

void PackageReceiver::keep_partial() noexcept {
  if (writer_) writer_->keep_partial();
}

}  // namespace fc::refclient
