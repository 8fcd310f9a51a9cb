// Text from devices can hold any bytes; these make it safe for XML, HTML and JSON output.
#pragma once

#include <string>
#include <string_view>

namespace fc::reports {

// Valid UTF-8 with every byte that is not part of a well-formed sequence, and every control
// character but tab, newline and carriage return, written as the text "\xNN". The result is
// legal in XML 1.0 character data and attributes (after the usual escaping).
std::string safe_text(std::string_view text);

// safe_text, then &, <, >, " and ' escaped for HTML element text and attribute values.
std::string html_escape(std::string_view text);

// The first line of a text, cut at `limit` characters (on a UTF-8 boundary) with "…".
std::string first_line(std::string_view text, std::size_t limit = 200);

}  // namespace fc::reports
