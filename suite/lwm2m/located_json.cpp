// nlohmann-json does the parsing (syntax, escapes, UTF-8, numbers); a SAX handler fed through a
// byte-counting iterator records where each value began, which nlohmann's DOM forgets.
#include "suite/lwm2m/located_json.h"

#include <iterator>
#include <nlohmann/json.hpp>

#include "suite/lwm2m/codec_error.h"
#include "suite/lwm2m/senml_record.h"

namespace fc::lwm2m::detail {
namespace {

// Reports how far nlohmann's lexer has read: its iterator adapter reads one byte per advance.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, std::size_t* consumed, const char* begin)
      : at_(at), consumed_(consumed), begin_(begin) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    *consumed_ = static_cast<std::size_t>(at_ - begin_);
    return *this;
  }
  CountingIterator operator++(int) {
    auto before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }
  bool operator!=(const CountingIterator& other) const { return at_ != other.at_; }

 private:
  const char* at_;
  std::size_t* consumed_;
  const char* begin_;
};

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// nlohmann's messages start "[json.exception.parse_error.101] parse error at line 1, column 4: ";
// the offset already says where, so keep only the part after that.
// Its "last read" part quotes raw input bytes, so the result is made printable.
std::string bare_message(const std::string& what) {
  constexpr std::size_t kShown = 512;
  auto message = what;
  const auto column = what.find("column ");
  const auto colon = column == std::string::npos ? column : what.find(": ", column);
  const auto bracket = what.find("] ");
  if (colon != std::string::npos) {
    message = what.substr(colon + 2);
  } else if (bracket != std::string::npos) {
    message = what.substr(bracket + 2);
  }
  return printable(to_bytes(message), kShown);
}

class LocatingHandler {
 public:
  using json = nlohmann::json;

  LocatingHandler(ContentFormat format, std::string_view text, const std::size_t* consumed,
                  std::size_t max_depth)
      : format_(format), text_(text), consumed_(consumed), max_depth_(max_depth) {
    // nlohmann skips a UTF-8 byte order mark silently; so do the offsets.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") resume_ = 3;
  }

  JsonNode take_root() { return std::move(root_); }

  bool null() { return add_scalar(JsonNode::Kind::Null, false); }
  bool boolean(bool value) {
    auto& node = add(JsonNode::Kind::Boolean);
    node.boolean = value;
    return finish_token(false);
  }
  bool number_integer(json::number_integer_t value) {
    auto& node = add(JsonNode::Kind::Integer);
    node.integer = value;
    return finish_token(true);
  }
  bool number_unsigned(json::number_unsigned_t value) {
    auto& node = add(JsonNode::Kind::Unsigned);
    node.unsigned_integer = value;
    return finish_token(true);
  }
  bool number_float(json::number_float_t value, const json::string_t&) {
    auto& node = add(JsonNode::Kind::Float);
    node.number = value;
    return finish_token(true);
  }
  bool string(json::string_t& value) {
    auto& node = add(JsonNode::Kind::String);
    node.text = std::move(value);
    return finish_token(false);
  }
  bool binary(json::binary_t&) { return add_scalar(JsonNode::Kind::Null, false); }
  bool start_object(std::size_t) { return open(JsonNode::Kind::Object); }
  bool start_array(std::size_t) { return open(JsonNode::Kind::Array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& text) {
    pending_key_ = JsonNode::Key{std::move(text), token_start()};
    return finish_token(false);
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // `position` counts the byte that broke the grammar (or the end of input) from 1.
    throw CodecError(format_, position == 0 ? 0 : position - 1,
                     "not valid JSON: " + bare_message(e.what()) + binary_hint());
  }

 private:
  // A client answering in CBOR or TLV where JSON was asked for: say so plainly.
  std::string binary_hint() const {
    if (text_.empty()) return "";
    const auto first = static_cast<unsigned char>(text_.front());
    if (first >= 0x80 || (first < 0x20 && !is_json_space(text_.front()))) {
      constexpr std::string_view kDigits = "0123456789abcdef";
      return std::string("; the payload is binary (first byte 0x") + kDigits[first >> 4] +
             kDigits[first & 0x0F] + "), not JSON text";
    }
    return "";
  }

  // Where the token being reported started: after the previous token, blanks, and the ':' or
  // ',' that separates them.
  std::size_t token_start() const {
    auto pos = resume_;
    while (pos < text_.size() && is_json_space(text_[pos])) ++pos;
    if (pos < text_.size() && (text_[pos] == ':' || text_[pos] == ',')) {
      ++pos;
      while (pos < text_.size() && is_json_space(text_[pos])) ++pos;
    }
    return pos;
  }

  // A number is only known to end once the lexer has read the byte after it.
  bool finish_token(bool number) {
    resume_ = *consumed_;
    if (number && resume_ > 0 && !is_digit(text_[resume_ - 1])) --resume_;
    return true;
  }

  JsonNode& add(JsonNode::Kind kind) {
    JsonNode node;
    node.kind = kind;
    node.offset = token_start();
    if (open_.empty()) {
      root_ = std::move(node);
      return root_;
    }
    auto& parent = *open_.back();
    if (parent.kind == JsonNode::Kind::Object) parent.keys.push_back(std::move(pending_key_));
    parent.elements.push_back(std::move(node));
    return parent.elements.back();
  }

  bool add_scalar(JsonNode::Kind kind, bool number) {
    add(kind);
    return finish_token(number);
  }

  bool open(JsonNode::Kind kind) {
    auto& node = add(kind);
    if (open_.size() == max_depth_) {
      throw CodecError(format_, node.offset,
                       "JSON nested deeper than " + std::to_string(max_depth_) +
                           " levels, more than this format uses");
    }
    // Safe to keep: only the innermost open container grows until it is closed.
    open_.push_back(&node);
    return finish_token(false);
  }

  bool close() {
    open_.pop_back();
    return finish_token(false);
  }

  ContentFormat format_;
  std::string_view text_;
  const std::size_t* consumed_;
  std::size_t max_depth_;
  std::size_t resume_ = 0;
  JsonNode root_;
  std::vector<JsonNode*> open_;
  JsonNode::Key pending_key_;
};

}  // namespace

double JsonNode::as_double() const {
  switch (kind) {
    case Kind::Integer:
      return static_cast<double>(integer);
    case Kind::Unsigned:
      return static_cast<double>(unsigned_integer);
    case Kind::Float:
      return number;
    default:
      return 0;
  }
}

std::string_view describe(JsonNode::Kind kind) {
  switch (kind) {
    case JsonNode::Kind::Null:
      return "null";
    case JsonNode::Kind::Boolean:
      return "a boolean";
    case JsonNode::Kind::Integer:
    case JsonNode::Kind::Unsigned:
    case JsonNode::Kind::Float:
      return "a number";
    case JsonNode::Kind::String:
      return "a string";
    case JsonNode::Kind::Array:
      return "an array";
    case JsonNode::Kind::Object:
      return "an object";
  }
  return "a JSON value";
}

JsonNode parse_located_json(ContentFormat format, ByteView payload, std::size_t max_depth) {
  const auto text = std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size());
  std::size_t consumed = 0;
  LocatingHandler handler(format, text, &consumed, max_depth);
  const CountingIterator first(text.data(), &consumed, text.data());
  const CountingIterator last(text.data() + text.size(), &consumed, text.data());
  nlohmann::json::sax_parse(first, last, &handler);
  return handler.take_root();
}

const JsonNode& expect_kind(ContentFormat format, const JsonNode& node, JsonNode::Kind kind, std::string_view label) {
  const bool ok = node.kind == kind || (kind == JsonNode::Kind::Float && node.is_number());
  if (!ok) {
    throw CodecError(format, node.offset,
                     "\"" + std::string(label) + "\" must be " + std::string(describe(kind)) + ", got " +
                         std::string(describe(node.kind)));
  }
  return node;
}

Value json_number_value(const JsonNode& node) {
  switch (node.kind) {
    case JsonNode::Kind::Integer:
      return Value(node.integer);
    case JsonNode::Kind::Unsigned:
      return integer_value(node.unsigned_integer);
    default:
      return Value(node.number);
  }
}

}  // namespace fc::lwm2m::detail
