// Encoding of the Anjay demo's firmware package.
#include "suite/forge/anjay_package.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "suite/forge/crc32.h"
#include "suite/forge/seeded_bytes.h"

namespace fc::forge::anjay {

Bytes encode(const Header& header, ByteView payload) {
  if (header.version.size() > std::numeric_limits<std::uint8_t>::max()) {
    throw std::invalid_argument("Anjay package version string is " +
                                std::to_string(header.version.size()) +
                                " bytes; the length field holds at most 255");
  }
  const std::uint32_t crc = header.crc.value_or(crc32(payload));
  Bytes out;
  out.reserve(kFixedHeaderSize + header.version.size() + payload.size());
  out.insert(out.end(), header.magic.begin(), header.magic.end());
  out.push_back(static_cast<std::uint8_t>(header.header_version >> 8));
  out.push_back(static_cast<std::uint8_t>(header.header_version));
  out.push_back(static_cast<std::uint8_t>(header.force_error >> 8));
  out.push_back(static_cast<std::uint8_t>(header.force_error));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<std::uint8_t>(crc >> shift));
  }
  out.push_back(static_cast<std::uint8_t>(header.version.size()));
  out.insert(out.end(), header.version.begin(), header.version.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

namespace {

// The path as one single-quoted shell word: a quote inside becomes '\'' (close, escaped
// quote, reopen), the only character single quotes cannot hold.
std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

constexpr std::size_t kPaddingLineLength = 64;  // '#', 62 letters, '\n'

}  // namespace

Bytes reexec_payload(const std::filesystem::path& program, std::size_t size, std::uint64_t seed) {
  const std::string path = program.string();
  if (path.empty() || !program.is_absolute()) {
    throw std::invalid_argument("the Anjay re-exec payload needs an absolute program path, got '" + path +
                                "'");
  }
  if (path.find('\n') != std::string::npos) {
    throw std::invalid_argument("the Anjay re-exec payload cannot name a program whose path holds a newline");
  }
  const std::string script =
      "#!/bin/sh\n"
      "# fotacheck: a firmware image for the Anjay demo; installing it restarts the demo\n"
      "rm -f -- \"$0\"\n"
      "exec " + shell_quoted(path) + " \"$@\"\n";
  Bytes out(script.begin(), script.end());
  const Bytes letters = seeded_bytes(seed, size > out.size() ? size - out.size() : 0);
  std::size_t next = 0;
  while (out.size() < size) {
    const std::size_t line = std::min(kPaddingLineLength, size - out.size());
    if (line == 1) {
      out.push_back('\n');
      break;
    }
    out.push_back('#');
    for (std::size_t i = 0; i + 2 < line; ++i) out.push_back(static_cast<std::uint8_t>('a' + letters[next++] % 26));
    out.push_back('\n');
  }
  return out;
}

}  // namespace fc::forge::anjay
