// Crash-safe file updates: write a temporary file, fsync it, rename it over the target, fsync
// the directory. A reader sees either the old or the new content, never a torn one.
#pragma once

#include <filesystem>
#include <string_view>

#include "suite/common/bytes.h"

namespace fc::refclient {

// Throws std::runtime_error naming the file and the failing system call.
void write_file_durably(const std::filesystem::path& file, std::string_view content);

// fsync on a directory so a rename or unlink in it survives a power cut.
void sync_directory(const std::filesystem::path& dir);

// An append-only file written through a file descriptor, fsynced on demand.
class AppendFile {
 public:
  // Creates or truncates `file`. Throws std::runtime_error naming it.
  explicit AppendFile(const std::filesystem::path& file);
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  // Throws std::runtime_error naming the file and the byte offset.
  void append(ByteView bytes);
  void sync_and_close();
  std::uint64_t size() const { return size_; }

 private:
  std::filesystem::path file_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

}  // namespace fc::refclient
