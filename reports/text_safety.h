// Text from devices can hold any bytes; these make it safe for XML, HTML and JSON output.
#pragma once

#include <string>
#include <string_view>

namespace fc::reports {

// Valid UTF-8 with every byte that is not part of a well-formed sequence, and every control
// character but tab, newline and carriage return, written as the text "\xNN". The result is
// legal in XML 1.0 character data and attributes (after the usual escaping).
std::string safe_text(std::string_view text);

// For a terminal: safe_text, and also carriage return and the C1 controls U+0080-U+009F
// (some terminals take U+009B as the start of an escape sequence) written as "\xNN", so text a
// device chose (an endpoint name, its log) can neither move the cursor nor recolour the
// screen. Newline and tab stay.
std::string terminal_text(std::string_view text);
// terminal_text for one line: newline and tab are written as "\x0a" and "\x09" too.
std::string terminal_line(std::string_view text);

// safe_text, then &, <, >, " and ' escaped for HTML element text and attribute values.
std::string html_escape(std::string_view text);

// The first line of a text, cut at `limit` characters (on a UTF-8 boundary) with "…".
std::string first_line(std::string_view text, std::size_t limit = 200);

}  // namespace fc::reports
