#include "suite/lwm2m/path.h"

#include <charconv>
#include <stdexcept>

#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

constexpr std::size_t kMaxDepth = 4;
constexpr std::uint32_t kMaxId = 65534;  // 65535 is reserved (TS Core §7.1)

void check_ids(const std::vector<std::uint16_t>& ids) {
  if (ids.size() > kMaxDepth) {
    throw std::invalid_argument("an LwM2M path has at most 4 ids, got " +
                                std::to_string(ids.size()));
  }
  for (const auto id : ids) {
    if (id > kMaxId) throw std::invalid_argument("LwM2M id 65535 is reserved");
  }
}

}  // namespace

Path::Path(std::initializer_list<std::uint16_t> ids) : ids_(ids) { check_ids(ids_); }

Path::Path(std::vector<std::uint16_t> ids) : ids_(std::move(ids)) { check_ids(ids_); }

Path Path::parse(std::string_view text) {
  const auto fail = [&](std::size_t offset, const std::string& problem) {
    return CodecError(ContentFormat::Text, offset,
                      "path \"" + std::string(text) + "\": " + problem);
  };
  if (text.empty()) throw fail(0, "empty path");
  if (text == "/") return Path{};

  std::size_t pos = text.front() == '/' ? 1 : 0;
  std::vector<std::uint16_t> ids;
  while (true) {
    const auto slash = text.find('/', pos);
    const auto end = slash == std::string_view::npos ? text.size() : slash;
    const auto segment = text.substr(pos, end - pos);
    if (segment.empty()) throw fail(pos, "empty segment");
    if (ids.size() == kMaxDepth) throw fail(pos, "more than 4 segments");
    std::uint32_t id = 0;
    const auto [ptr, ec] = std::from_chars(segment.data(), segment.data() + segment.size(), id);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc{} && ptr == segment.data() + segment.size() && id > kMaxId)) {
      throw fail(pos, "segment '" + std::string(segment) + "' is above 65534");
    }
    if (ec != std::errc{} || ptr != segment.data() + segment.size()) {
      throw fail(pos, "segment '" + std::string(segment) + "' is not a decimal id");
    }
    ids.push_back(static_cast<std::uint16_t>(id));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return Path(std::move(ids));
}

Path Path::child(std::uint16_t id) const {
  auto ids = ids_;
  ids.push_back(id);
  return Path(std::move(ids));
}

bool Path::contains(const Path& other) const {
  if (other.ids_.size() < ids_.size()) return false;
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    if (ids_[i] != other.ids_[i]) return false;
  }
  return true;
}

std::string Path::str() const {
  if (ids_.empty()) return "/";
  std::string text;
  for (const auto id : ids_) {
    text += '/';
    text += std::to_string(id);
  }
  return text;
}

std::vector<std::string> Path::segments() const {
  std::vector<std::string> result;
  result.reserve(ids_.size());
  for (const auto id : ids_) result.push_back(std::to_string(id));
  return result;
}

}  // namespace fc::lwm2m
