// Profile files, and the files a profile names, are used only when they are regular files of
// bounded size. A device (/dev/zero, /dev/urandom, a serial port), a FIFO, a socket or a
// directory is refused from its metadata, before it is opened, so loading a profile never
// blocks, never reads without end and never touches hardware.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace fc::profile {

inline constexpr std::uintmax_t mebibyte = 1024 * 1024;

// "1 MiB" for whole mebibytes, else "1234 bytes": for limits in messages.
std::string size_text(std::uintmax_t bytes);

// What keeps `file` from being read as a regular file of at most `max_bytes` bytes ("No such
// file or directory", "is a FIFO, not a regular file", "is 2 MiB, over the 1 MiB limit"), or
// nullopt when it can be. Opens the file (non-blocking) to prove it is readable; reads nothing.
std::optional<std::string> regular_file_problem(const std::filesystem::path& file,
                                                std::uintmax_t max_bytes);

// The content of `file` under the same rules; nullopt with `error` set as above. A file that
// grows past `max_bytes` while it is read is refused too.
std::optional<std::string> read_regular_file(const std::filesystem::path& file,
                                             std::uintmax_t max_bytes, std::string& error);

}  // namespace fc::profile
