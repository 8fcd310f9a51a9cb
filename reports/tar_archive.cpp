#include "reports/tar_archive.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <set>

namespace fc::reports {

namespace {

constexpr std::size_t kBlock = 512;

// ustar header fields: offset and length (POSIX.1-1988 / pax "ustar" format).
struct Field {
  std::size_t offset, length;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12}, kMtime{136, 12},
    kChecksum{148, 8}, kType{156, 1}, kMagic{257, 6}, kVersion{263, 2}, kPrefix{345, 155};

void put_text(std::string& header, Field f, std::string_view text) { header.replace(f.offset, text.size(), text); }

void put_octal(std::string& header, Field f, std::uint64_t value) {
  // Zero-padded octal digits and a terminating NUL, as GNU tar writes them.
  auto digits = fmt::format("{:0{}o}", value, f.length - 1);
  if (digits.size() > f.length - 1) throw std::invalid_argument(fmt::format("{} does not fit a tar header field", value));
  put_text(header, f, digits);
}

unsigned checksum_of(std::string_view header) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < kBlock; ++i)
    sum += (i >= kChecksum.offset && i < kChecksum.offset + kChecksum.length) ? ' ' : static_cast<unsigned char>(header[i]);
  return sum;
}

std::string safe_name_problem(std::string_view name) {
  if (name.empty()) return "an empty name";
  if (name.front() == '/') return "an absolute name";
  std::size_t start = 0;
  while (start <= name.size()) {
    auto end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    auto part = name.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return "a name with an empty, '.' or '..' part";
    start = end + 1;
  }
  for (char c : name)
    if (static_cast<unsigned char>(c) < ' ' || c == '\x7f') return "a name with control characters";
  return {};
}

// Splits a name over ustar's prefix (155) and name (100) fields at a '/'.
std::pair<std::string, std::string> split_name(const std::string& name) {
  if (name.size() <= kName.length) return {"", name};
  for (auto slash = name.rfind('/'); slash != std::string::npos && slash > 0; slash = name.rfind('/', slash - 1)) {
    if (slash <= kPrefix.length && name.size() - slash - 1 <= kName.length) return {name.substr(0, slash), name.substr(slash + 1)};
    if (slash == 0) break;
  }
  throw std::invalid_argument("\"" + name + "\" is too long for a ustar archive (a file name part over 100 bytes or a path over 255)");
}

std::string field_text(std::string_view header, Field f) {
  auto raw = header.substr(f.offset, f.length);
  return std::string(raw.substr(0, std::min(raw.find('\0'), raw.size())));
}

std::uint64_t field_octal(std::string_view header, Field f, const std::string& where, const char* what) {
  auto text = field_text(header, f);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  while (!text.empty() && text.front() == ' ') text.erase(0, 1);
  if (text.empty() || text.find_first_not_of("01234567") != std::string::npos)
    throw TarFormatError(fmt::format("{}: the {} field is not an octal number", where, what));
  return std::stoull(text, nullptr, 8);
}

bool all_zero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == '\0'; });
}

}  // namespace

std::string write_tar(const std::vector<TarMember>& members, std::int64_t mtime_unix_s) {
  std::string out;
  for (const auto& m : members) {
    if (auto problem = safe_name_problem(m.name); !problem.empty())
      throw std::invalid_argument("cannot archive \"" + m.name + "\": " + problem);
    auto [prefix, name] = split_name(m.name);
    std::string header(kBlock, '\0');
    put_text(header, kName, name);
    put_octal(header, kMode, 0644);
    put_octal(header, kUid, 0);
    put_octal(header, kGid, 0);
    put_octal(header, kSize, m.data.size());
    put_octal(header, kMtime, static_cast<std::uint64_t>(std::max<std::int64_t>(mtime_unix_s, 0)));
    put_text(header, kType, "0");
    put_text(header, kMagic, std::string_view("ustar\0", 6));
    put_text(header, kVersion, "00");
    put_text(header, kPrefix, prefix);
    // Six octal digits, NUL, space: the classic checksum layout.
    auto sum = fmt::format("{:06o}", checksum_of(header));
    put_text(header, kChecksum, sum + std::string("\0 ", 2));
    out += header;
    out += m.data;
    out.append((kBlock - m.data.size() % kBlock) % kBlock, '\0');
  }
  out.append(2 * kBlock, '\0');
  return out;
}

std::vector<TarMember> read_tar(std::string_view archive) {
  std::vector<TarMember> members;
  std::set<std::string> seen;
  std::size_t at = 0;
  for (;;) {
    if (archive.size() - at < kBlock)
      throw TarFormatError(fmt::format("truncated archive: {} bytes, it ends inside the header at byte {}{}", archive.size(), at,
                                       members.empty() ? "" : " (after member \"" + members.back().name + "\")"));
    auto header = archive.substr(at, kBlock);
    if (all_zero(header)) {
      if (archive.size() - at < 2 * kBlock)
        throw TarFormatError(fmt::format("truncated archive: the end-of-archive blocks at byte {} are cut short", at));
      if (!all_zero(archive.substr(at, 2 * kBlock)) || !all_zero(archive.substr(at + 2 * kBlock)))
        throw TarFormatError(fmt::format("altered archive: non-zero bytes after the end of the archive (byte {})", at));
      return members;
    }
    auto where = fmt::format("tar header at byte {}", at);
    // Only the form write_tar uses ("%06o\0 "): with any other, a flipped NUL or space in the
    // checksum field itself would go unnoticed.
    auto expected_field = fmt::format("{:06o}", checksum_of(header)) + std::string("\0 ", 2);
    if (header.substr(kChecksum.offset, kChecksum.length) != expected_field)
      throw TarFormatError(fmt::format("{} (member \"{}\"): checksum mismatch (altered or not a tar archive)", where,
                                       field_text(header, kName)));
    if (header.substr(kMagic.offset, 5) != "ustar")
      throw TarFormatError(where + ": not a ustar header (magic \"ustar\" missing)");
    auto prefix = field_text(header, kPrefix);
    auto name = (prefix.empty() ? "" : prefix + "/") + field_text(header, kName);
    where += " (member \"" + name + "\")";
    char type = header[kType.offset];
    if (type != '0' && type != '\0')
      throw TarFormatError(fmt::format("{}: type '{}' is not a regular file", where, type));
    if (auto problem = safe_name_problem(name); !problem.empty()) throw TarFormatError(where + ": " + problem);
    if (!seen.insert(name).second) throw TarFormatError(where + ": the name appears twice");
    auto size = field_octal(header, kSize, where, "size");
    at += kBlock;
    auto padded = size + (kBlock - size % kBlock) % kBlock;
    if (archive.size() - at < padded)
      throw TarFormatError(fmt::format("truncated archive: member \"{}\" declares {} bytes, only {} remain", name, size,
                                       archive.size() - at));
    members.push_back(TarMember{name, std::string(archive.substr(at, size))});
    if (!all_zero(archive.substr(at + size, padded - size)))
      throw TarFormatError(fmt::format("altered archive: non-zero padding after member \"{}\"", name));
    at += padded;
  }
}

}  // namespace fc::reports
