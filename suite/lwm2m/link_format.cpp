// CoRE Link Format (RFC 6690 §2) parsing and writing, and the LwM2M object list read from it.
#include "suite/lwm2m/link_format.h"

#include <algorithm>
#include <charconv>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(ContentFormat::LinkFormat, offset, problem);
}

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 6690 parmname is a token (RFC 2616); '*' is kept for extended names like title*.
bool is_name_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 6690 ptokenchar.
bool is_ptoken_char(char c) {
  return is_alnum(c) ||
         std::string_view("!#$%&'()*+-./:<=>?@[]^_`{|}~").find(c) != std::string_view::npos;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct LocatedLink {
  Link link;
  std::size_t offset;         // of '<'
  std::size_t target_offset;  // of the first target character
};

class LinkParser {
 public:
  explicit LinkParser(std::string_view text) : text_(text) {}

  std::vector<LocatedLink> parse() {
    std::vector<LocatedLink> links;
    if (text_.empty()) return links;
    while (true) {
      links.push_back(parse_link());
      if (pos_ == text_.size()) break;
      if (text_[pos_] != ',') {
        fail(pos_, "unexpected '" + std::string(1, text_[pos_]) + "' after a link");
      }
      ++pos_;
      // Not in RFC 6690's grammar, but common after the comma.
      while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }
    return links;
  }

 private:
  LocatedLink parse_link() {
    LocatedLink located{{}, pos_, pos_ + 1};
    if (pos_ == text_.size() || text_[pos_] != '<') fail(pos_, "expected '<' to start a link");
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '>') {
      const char c = text_[pos_];
      if (c == '<' || c == ',' || is_space(c) || static_cast<unsigned char>(c) < 0x20) {
        fail(pos_,
             "missing '>' to close the target started at byte " + std::to_string(located.offset));
      }
      ++pos_;
    }
    if (pos_ == text_.size()) {
      fail(pos_,
           "missing '>' to close the target started at byte " + std::to_string(located.offset));
    }
    located.link.target =
        std::string(text_.substr(located.target_offset, pos_ - located.target_offset));
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] == ';') {
      ++pos_;
      located.link.attributes.push_back(parse_attribute());
    }
    return located;
  }

  LinkAttribute parse_attribute() {
    LinkAttribute attribute;
    const auto name_start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    if (pos_ == name_start) fail(pos_, "empty attribute name");
    attribute.name = std::string(text_.substr(name_start, pos_ - name_start));
    if (pos_ == text_.size() || text_[pos_] != '=') return attribute;
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      attribute.value = parse_quoted();
    } else {
      const auto value_start = pos_;
      while (pos_ < text_.size() && is_ptoken_char(text_[pos_])) ++pos_;
      if (pos_ == value_start) fail(pos_, "empty value for attribute '" + attribute.name + "'");
      attribute.value = std::string(text_.substr(value_start, pos_ - value_start));
    }
    return attribute;
  }

  std::string parse_quoted() {
    const auto quote_offset = pos_;
    ++pos_;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      value += text_[pos_++];
    }
    if (pos_ == text_.size()) fail(quote_offset, "unterminated quoted value");
    ++pos_;
    return value;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool needs_quotes(const LinkAttribute& attribute) {
  const auto& value = *attribute.value;
  // rt, if and title are quoted-strings by habit in LwM2M examples and by grammar in RFC 6690.
  if (attribute.name == "rt" || attribute.name == "if" || attribute.name == "title") return true;
  return value.empty() || !std::all_of(value.begin(), value.end(), is_ptoken_char);
}

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = std::min(text.find(' ', pos), text.size());
    if (end > pos) words.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return words;
}

bool is_lwm2m_root(const Link& link) {
  const auto* rt = link.find("rt");
  if (rt == nullptr || !rt->value) return false;
  const auto types = split_spaces(*rt->value);
  return std::find(types.begin(), types.end(), "oma.lwm2m") != types.end();
}

std::vector<std::uint16_t> parse_content_formats(const LocatedLink& located) {
  std::vector<std::uint16_t> formats;
  const auto* ct = located.link.find("ct");
  if (ct == nullptr) return formats;
  if (!ct->value) fail(located.offset, "ct on the root link has no value");
  for (const auto word : split_spaces(*ct->value)) {
    std::uint16_t format = 0;
    const auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), format);
    if (ec != std::errc{} || ptr != word.data() + word.size()) {
      fail(located.offset, "ct value '" + std::string(word) + "' is not a Content-Format number");
    }
    formats.push_back(format);
  }
  if (formats.empty()) fail(located.offset, "ct on the root link is empty");
  return formats;
}

Path object_path(const LocatedLink& located, const std::string& root) {
  const auto& target = located.link.target;
  const std::string prefix = root == "/" ? "/" : root + "/";
  const auto not_lwm2m = [&](const std::string& why) {
    fail(located.target_offset, "target <" + target + "> " + why);
  };
  if (target.compare(0, prefix.size(), prefix) != 0) not_lwm2m("is not below the root " + root);
  std::vector<std::uint16_t> ids;
  std::string_view rest = std::string_view(target).substr(prefix.size());
  while (true) {
    const auto slash = rest.find('/');
    const auto segment = rest.substr(0, slash);
    std::uint32_t id = 0;
    const auto [ptr, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), id);
    if (segment.empty() || ec != std::errc{} || ptr != segment.data() + segment.size() ||
        id > 65534) {
      not_lwm2m("is not an object or object instance path");
    }
    ids.push_back(static_cast<std::uint16_t>(id));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  if (ids.size() > 2) not_lwm2m("is not an object or object instance path");
  return Path(std::move(ids));
}

}  // namespace

const LinkAttribute* Link::find(std::string_view name) const {
  const auto it = std::find_if(attributes.begin(), attributes.end(),
                               [&](const LinkAttribute& a) { return a.name == name; });
  return it == attributes.end() ? nullptr : &*it;
}

std::vector<Link> parse_link_format(std::string_view text) {
  std::vector<Link> links;
  for (auto& located : LinkParser(text).parse()) links.push_back(std::move(located.link));
  return links;
}

std::string write_link_format(const std::vector<Link>& links) {
  std::string text;
  for (const auto& link : links) {
    if (!text.empty()) text += ',';
    text += '<' + link.target + '>';
    for (const auto& attribute : link.attributes) {
      text += ';' + attribute.name;
      if (!attribute.value) continue;
      text += '=';
      if (!needs_quotes(attribute)) {
        text += *attribute.value;
        continue;
      }
      text += '"';
      for (const char c : *attribute.value) {
        if (c == '"' || c == '\\') text += '\\';
        text += c;
      }
      text += '"';
    }
  }
  return text;
}

std::optional<std::string> RegisteredObjects::version_of(std::uint16_t object) const {
  for (const auto& link : objects) {
    if (link.path.object() == object && link.version) return link.version;
  }
  return std::nullopt;
}

bool RegisteredObjects::has_object(std::uint16_t object) const {
  return std::any_of(objects.begin(), objects.end(),
                     [&](const ObjectLink& link) { return link.path.object() == object; });
}

RegisteredObjects parse_registered_objects(std::string_view payload) {
  if (payload.empty()) fail(0, "empty object list");
  const auto links = LinkParser(payload).parse();

  RegisteredObjects result;
  const LocatedLink* root_link = nullptr;
  for (const auto& located : links) {
    if (!is_lwm2m_root(located.link)) continue;
    if (root_link != nullptr) {
      fail(located.offset, "a second rt=\"oma.lwm2m\" link; the first is at byte " +
                               std::to_string(root_link->offset));
    }
    root_link = &located;
  }
  if (root_link != nullptr) {
    auto root = root_link->link.target;
    if (root.size() > 1 && root.back() == '/') root.pop_back();
    if (root.empty() || root.front() != '/') {
      fail(root_link->target_offset,
           "the LwM2M root <" + root_link->link.target + "> is not an absolute path");
    }
    result.root = root;
    result.content_formats = parse_content_formats(*root_link);
  }

  for (const auto& located : links) {
    if (&located == root_link) continue;
    if (located.link.target == "/") {  // the root link without rt
      if (root_link == nullptr) result.content_formats = parse_content_formats(located);
      continue;
    }
    ObjectLink object{object_path(located, result.root), std::nullopt};
    if (const auto* ver = located.link.find("ver")) {
      if (!ver->value) fail(located.offset, "ver without a value");
      object.version = ver->value;
    }
    result.objects.push_back(std::move(object));
  }
  return result;
}

}  // namespace fc::lwm2m
