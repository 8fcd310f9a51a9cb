// A/B slot files and the partial file a download streams into.
#include "refclient/firmware/slot_store.h"

#include <fmt/format.h>

#include <fstream>
#include <stdexcept>
#include <system_error>

#include "refclient/firmware/firmware_log.h"

namespace fc::refclient {

std::string_view slot_name(Slot slot) { return slot == Slot::A ? "a" : "b"; }

std::optional<Slot> slot_from_name(std::string_view name) {
  if (name == "a") return Slot::A;
  if (name == "b") return Slot::B;
  return std::nullopt;
}

Slot download_slot_for(std::optional<Slot> active) { return active == Slot::A ? Slot::B : Slot::A; }

SlotWriter::SlotWriter(std::filesystem::path partial, std::filesystem::path final_file)
    : partial_(std::move(partial)), final_(std::move(final_file)) {
  out_.emplace(partial_);
}

SlotWriter::~SlotWriter() { abandon(); }

void SlotWriter::append(ByteView bytes) {
  if (!out_)
    throw std::runtime_error(fmt::format("slot {} is no longer open for writing", partial_.string()));
  out_->append(bytes);
}

void SlotWriter::commit() {
  if (!out_)
    throw std::runtime_error(fmt::format("slot {} is no longer open for writing", partial_.string()));
  committed_size_ = out_->size();
  out_->sync_and_close();
  out_.reset();
  std::error_code ec;
  std::filesystem::rename(partial_, final_, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("rename {} to {}: {}", partial_.string(), final_.string(), ec.message()));
  sync_directory(final_.parent_path());
}

void SlotWriter::abandon() noexcept {
  if (!out_) return;
  out_.reset();
  std::error_code ec;
  std::filesystem::remove(partial_, ec);
}

void SlotWriter::keep_partial() noexcept {
  if (!out_) return;
  try {
    out_->sync_and_close();
  } catch (const std::exception&) {
    // Bytes that may not have reached the disk are worth nothing to a resumption.
    out_.reset();
    std::error_code ec;
    std::filesystem::remove(partial_, ec);
    return;
  }
  out_.reset();
}

SlotStore::SlotStore(std::filesystem::path dir) : dir_(std::move(dir)) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec || !std::filesystem::is_directory(dir_)) {
    throw std::runtime_error(fmt::format("state directory {} is unusable: {}", dir_.string(),
                                         ec ? ec.message() : "not a directory"));
  }
}

std::filesystem::path SlotStore::file(Slot slot) const {
  return dir_ / fmt::format("slot-{}.bin", slot_name(slot));
}

std::filesystem::path SlotStore::partial_file(Slot slot) const {
  return dir_ / fmt::format("slot-{}.bin.part", slot_name(slot));
}

bool SlotStore::has_image(Slot slot) const {
  std::error_code ec;
  return std::filesystem::is_regular_file(file(slot), ec);
}

void SlotStore::erase(Slot slot) noexcept {
  for (const auto& path : {file(slot), partial_file(slot)}) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) firmware_log().warn("cannot remove {}: {}", path.string(), ec.message());
  }
}

std::unique_ptr<SlotWriter> SlotStore::begin_write(Slot slot) const {
  return std::make_unique<SlotWriter>(partial_file(slot), file(slot));
}

Bytes SlotStore::head(Slot slot, std::size_t limit) const {
  std::ifstream in(file(slot), std::ios::binary);
  if (!in) return {};
  Bytes bytes(limit);
  in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(limit));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

}  // namespace fc::refclient
