// The A/B image slots: slot-a.bin and slot-b.bin in the state directory. A download streams
// into "<slot>.part" and becomes the slot file only once complete (fsync, rename).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "refclient/firmware/durable_file.h"
#include "suite/common/bytes.h"

namespace fc::refclient {

enum class Slot { A, B };

std::string_view slot_name(Slot slot);                      // "a", "b"
std::optional<Slot> slot_from_name(std::string_view name);  // inverse, nullopt otherwise
// The slot a download goes to: the one not running (A when the factory image runs).
Slot download_slot_for(std::optional<Slot> active);

// One download's bytes on their way into a slot.
class SlotWriter {
 public:
  SlotWriter(std::filesystem::path partial, std::filesystem::path final_file);
  ~SlotWriter();  // abandons an uncommitted write
  SlotWriter(const SlotWriter&) = delete;
  SlotWriter& operator=(const SlotWriter&) = delete;

  void append(ByteView bytes);  // throws std::runtime_error naming the file and offset
  std::uint64_t size() const { return out_ ? out_->size() : committed_size_; }
  // Makes the complete image the slot's content, durably.
  void commit();
  // Drops what was written.
  void abandon() noexcept;
  // Leaves what was written in the partial file, durably, for a download resumed after a
  // restart (--resume-downloads); the write is over either way.
  void keep_partial() noexcept;

 private:
  std::filesystem::path partial_;
  std::filesystem::path final_;
  std::optional<AppendFile> out_;
  std::uint64_t committed_size_ = 0;
};

class SlotStore {
 public:
  // Creates the directory if needed; throws std::runtime_error naming it when unusable.
  explicit SlotStore(std::filesystem::path dir);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path file(Slot slot) const;
  std::filesystem::path partial_file(Slot slot) const;
  bool has_image(Slot slot) const;
  // Removes the slot's image and any partial download; logs but never throws.
  void erase(Slot slot) noexcept;
  std::unique_ptr<SlotWriter> begin_write(Slot slot) const;
  // The first `limit` bytes of the slot's image (empty when there is none).
  Bytes head(Slot slot, std::size_t limit) const;

 private:
  std::filesystem::path dir_;
};

}  // namespace fc::refclient
