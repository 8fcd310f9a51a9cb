#include "suite/profile/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fc::profile {

namespace {

std::optional<std::string> type_problem(mode_t mode) {
  if (S_ISREG(mode)) return std::nullopt;
  if (S_ISDIR(mode)) return "is a directory";
  if (S_ISCHR(mode)) return "is a character device, not a regular file";
  if (S_ISBLK(mode)) return "is a block device, not a regular file";
  if (S_ISFIFO(mode)) return "is a FIFO (named pipe), not a regular file";
  if (S_ISSOCK(mode)) return "is a socket, not a regular file";
  return "is not a regular file";
}

std::string over_limit(std::uintmax_t size, std::uintmax_t max_bytes) {
  return "is " + std::to_string(size) + " bytes, over the " + size_text(max_bytes) + " limit";
}

// Owns a descriptor for the length of one check or read.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// The file opened for reading once its metadata says it is a regular file within the limit.
// stat() comes first so that a device is never opened (opening a serial port can reset the
// board behind it); O_NONBLOCK and the second look with fstat() cover a file swapped for a
// FIFO in between.
std::optional<std::string> open_checked(const std::filesystem::path& file, std::uintmax_t max_bytes,
                                        int& fd) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return std::string(std::strerror(errno));
  if (auto problem = type_problem(info.st_mode)) return problem;
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes) {
    return over_limit(static_cast<std::uintmax_t>(info.st_size), max_bytes);
  }
  fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return std::string(std::strerror(errno));
  if (::fstat(fd, &info) != 0) return std::string(std::strerror(errno));
  if (auto problem = type_problem(info.st_mode)) return problem;
  return std::nullopt;
}

}  // namespace

std::string size_text(std::uintmax_t bytes) {
  if (bytes != 0 && bytes % mebibyte == 0) return std::to_string(bytes / mebibyte) + " MiB";
  return std::to_string(bytes) + " bytes";
}

std::optional<std::string> regular_file_problem(const std::filesystem::path& file,
                                                std::uintmax_t max_bytes) {
  int fd = -1;
  auto problem = open_checked(file, max_bytes, fd);
  const Descriptor owned(fd);
  return problem;
}

std::optional<std::string> read_regular_file(const std::filesystem::path& file,
                                             std::uintmax_t max_bytes, std::string& error) {
  int fd = -1;
  auto problem = open_checked(file, max_bytes, fd);
  const Descriptor owned(fd);
  if (problem) {
    error = *problem;
    return std::nullopt;
  }
  std::string text;
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t got = ::read(owned.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    if (got == 0) return text;
    if (text.size() + static_cast<std::size_t>(got) > max_bytes) {
      error = "grew past the " + size_text(max_bytes) + " limit while it was read";
      return std::nullopt;
    }
    text.append(buffer, static_cast<std::size_t>(got));
  }
}

}  // namespace fc::profile
