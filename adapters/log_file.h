// The per-case log files adapters write (device.log, hooks.log): append, read back, quote a tail.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "suite/common/clock.h"

namespace fc::adapters {

// Bytes in the file now; 0 when it does not exist.
std::uintmax_t log_size(const std::filesystem::path& file);

// The file from byte `offset` on; "" when it does not exist.
std::string read_log(const std::filesystem::path& file, std::uintmax_t offset = 0);

// Appends `text` (creating the file); errors are ignored, a log line must never stop a run.
void append_log(const std::filesystem::path& file, std::string_view text);

// The last lines of `text`, at most `max_lines` and about `max_chars`, for error messages.
std::string log_tail(std::string_view text, std::size_t max_lines = 20, std::size_t max_chars = 2000);

// "0.2 s", "3 s", "600 s": durations as messages print them.
std::string seconds_text(Duration duration);

}  // namespace fc::adapters
