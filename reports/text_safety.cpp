#include "reports/text_safety.h"

#include <cstdint>
#include <fmt/format.h>

namespace fc::reports {

namespace {

// Length of the well-formed UTF-8 sequence at `at` (RFC 3629: no overlongs, no surrogates,
// nothing past U+10FFFF), or 0 when the byte there does not start one.
std::size_t utf8_sequence(std::string_view s, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(s[i]); };
  auto cont = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
  std::uint8_t b = byte(at);
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return cont(at + 1) ? 2 : 0;
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(at + 1) || !cont(at + 2)) return 0;
    std::uint8_t b1 = byte(at + 1);
    if (b == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b == 0xED && b1 >= 0xA0) return 0;  // surrogate
    if (b == 0xEF && b1 == 0xBF && (byte(at + 2) == 0xBE || byte(at + 2) == 0xBF)) return 0;  // U+FFFE/F
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(at + 1) || !cont(at + 2) || !cont(at + 3)) return 0;
    std::uint8_t b1 = byte(at + 1);
    if (b == 0xF0 && b1 < 0x90) return 0;
    if (b == 0xF4 && b1 >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// Which characters a writer keeps as they are; every other control character becomes \xNN.
struct Kept {
  bool newline;
  bool carriage_return;
  bool tab;
  bool c1;  // U+0080-U+009F
};

std::string escaped(std::string_view text, Kept kept) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<std::uint8_t>(text[i]);
    std::size_t n = utf8_sequence(text, i);
    bool kept_control = (b == '\t' && kept.tab) || (b == '\n' && kept.newline) || (b == '\r' && kept.carriage_return);
    bool control = (b < 0x20 && !kept_control) || b == 0x7F;
    bool c1 = n == 2 && b == 0xC2 && static_cast<std::uint8_t>(text[i + 1]) < 0xA0 && !kept.c1;
    if (n == 0 || control) {
      out += fmt::format("\\x{:02x}", b);
      ++i;
      continue;
    }
    if (c1) {
      out += fmt::format("\\x{:02x}\\x{:02x}", b, static_cast<std::uint8_t>(text[i + 1]));
      i += 2;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace

std::string safe_text(std::string_view text) {
  return escaped(text, {.newline = true, .carriage_return = true, .tab = true, .c1 = true});
}

std::string terminal_text(std::string_view text) {
  // A lone carriage return rewrites the line on screen; before a newline it is only a line end.
  std::string lines;
  lines.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    lines += text[i];
  }
  return escaped(lines, {.newline = true, .carriage_return = false, .tab = true, .c1 = false});
}

std::string terminal_line(std::string_view text) {
  return escaped(text, {.newline = false, .carriage_return = false, .tab = false, .c1 = false});
}

std::string html_escape(std::string_view text) {
  std::string safe = safe_text(text);
  std::string out;
  out.reserve(safe.size() + safe.size() / 8);
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string first_line(std::string_view text, std::size_t limit) {
  std::string line = safe_text(text.substr(0, text.find('\n')));
  if (line.size() <= limit) return line;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<std::uint8_t>(line[cut]) & 0xC0) == 0x80) --cut;
  return line.substr(0, cut) + "…";
}

}  // namespace fc::reports
