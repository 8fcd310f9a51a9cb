// POSIX write/fsync/rename: the only way to make the slot and state files survive a crash.
#include "refclient/firmware/durable_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace fc::refclient {

namespace {

[[noreturn]] void fail(std::string_view what, const std::filesystem::path& file) {
  throw std::runtime_error(fmt::format("{} {}: {}", what, file.string(), std::strerror(errno)));
}

void write_all(int fd, const std::uint8_t* data, std::size_t size, const std::filesystem::path& file,
               std::uint64_t offset) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(
          fmt::format("write {} at byte {}: {}", file.string(), offset, std::strerror(errno)));
    }
    data += written;
    size -= static_cast<std::size_t>(written);
    offset += static_cast<std::uint64_t>(written);
  }
}

}  // namespace

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("open directory", dir);
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) fail("fsync directory", dir);
}

void write_file_durably(const std::filesystem::path& file, std::string_view content) {
  auto temp = file;
  temp += ".tmp";
  {
    AppendFile out(temp);
    out.append(ByteView(reinterpret_cast<const std::uint8_t*>(content.data()), content.size()));
    out.sync_and_close();
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) fail("rename onto", file);
  sync_directory(file.has_parent_path() ? file.parent_path() : std::filesystem::path("."));
}

AppendFile::AppendFile(const std::filesystem::path& file) : file_(file) {
  fd_ = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd_ < 0) fail("create", file);
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) ::close(fd_);
}

void AppendFile::append(ByteView bytes) {
  if (fd_ < 0) throw std::runtime_error(fmt::format("append to closed file {}", file_.string()));
  write_all(fd_, bytes.data(), bytes.size(), file_, size_);
  size_ += bytes.size();
}

void AppendFile::sync_and_close() {
  if (fd_ < 0) return;
  const int fd = fd_;
  fd_ = -1;
  if (::fsync(fd) != 0) {
    ::close(fd);
    fail("fsync", file_);
  }
  if (::close(fd) != 0) fail("close", file_);
}

}  // namespace fc::refclient
