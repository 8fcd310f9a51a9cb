#include "suite/profile/map_reader.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "suite/common/edit_distance.h"
#include "suite/profile/duration.h"

namespace fc::profile {

namespace {

// A known key the unknown one was probably meant to be: at most two typos away, or one
// being an abbreviation of the other ("cert" for "certificate"). Empty when none fits.
std::string suggestion(const std::string& unknown, const std::vector<std::string>& known) {
  std::string closest;
  std::size_t best = 3;
  for (const auto& name : known) {
    const std::size_t distance = edit_distance(unknown, name);
    if (distance < best && distance < name.size()) {
      best = distance;
      closest = name;
    }
  }
  if (!closest.empty()) return closest;
  for (const auto& name : known) {
    const auto& shorter = unknown.size() < name.size() ? unknown : name;
    const auto& longer = unknown.size() < name.size() ? name : unknown;
    if (shorter.size() >= 3 && longer.starts_with(shorter)) return name;
  }
  return "";
}

std::string range_text(const char* what, std::int64_t min, std::int64_t max) {
  if (max == std::numeric_limits<std::int64_t>::max()) {
    return std::string("expected ") + what + " >= " + std::to_string(min);
  }
  return std::string("expected ") + what + " from " + std::to_string(min) + " to " +
         std::to_string(max);
}

std::string number_text(double value) {
  std::string text = std::to_string(value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

MapReader::MapReader(ProfileProblems& problems, const SourceNode* node, std::string path,
                     SourceLocation anchor)
    : problems_(problems), node_(node), path_(std::move(path)), anchor_(std::move(anchor)) {}

std::string MapReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void MapReader::known(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
}

const SourceEntry* MapReader::entry(std::string_view key) {
  known(key);
  if (node_ == nullptr || node_->kind != SourceNode::Kind::Map) return nullptr;
  return node_->find(key);
}

const SourceNode* MapReader::get(std::string_view key) {
  const SourceEntry* found = entry(key);
  return found != nullptr ? &found->value : nullptr;
}

MapReader MapReader::section(std::string_view key) {
  const SourceEntry* found = entry(key);
  const SourceNode* node = found != nullptr ? &found->value : nullptr;
  if (node != nullptr && node->kind != SourceNode::Kind::Map &&
      node->kind != SourceNode::Kind::Null) {
    problem(node->where, path_of(key), "expected a map, got " + describe(*node));
    // Read on as if absent, so one wrong section does not hide the problems of the others.
    node = nullptr;
  }
  MapReader nested(problems_, node, path_of(key), found != nullptr ? found->key_where : anchor_);
  nested.named_files_ = named_files_;
  return nested;
}

void MapReader::problem(const SourceLocation& where, std::string key_path, std::string message) {
  problems_.push_back({where.file, where.line, where.column, std::move(key_path),
                       std::move(message)});
}

void MapReader::problem_at(std::string_view key, std::string message) {
  const SourceEntry* found = entry(key);
  problem(found != nullptr ? found->value.where : anchor_, path_of(key), std::move(message));
}

void MapReader::missing(std::string_view key, std::string message) {
  problem(anchor_, path_of(key), std::move(message));
}

void MapReader::finish() {
  if (node_ == nullptr || node_->kind != SourceNode::Kind::Map) return;
  for (const auto& item : node_->entries) {
    if (std::find(known_.begin(), known_.end(), item.key) != known_.end()) continue;
    // No key is longer than 32 characters: a longer one is no typo, and comparing it costs.
    const std::string closest = item.key.size() <= 64 ? suggestion(item.key, known_) : "";
    std::string message = "unknown key; ";
    if (!closest.empty()) {
      message += "did you mean \"" + closest + "\"?";
    } else {
      message += "expected one of: ";
      for (std::size_t i = 0; i < known_.size(); ++i) {
        message += (i == 0 ? "" : ", ") + known_[i];
      }
    }
    problem(item.key_where, path_of(item.key), std::move(message));
  }
}

namespace check {

std::optional<std::string> string(MapReader& at, const SourceNode& node, const std::string& path) {
  if (node.kind != SourceNode::Kind::Scalar) {
    at.problem(node.where, path, "expected a string, got " + describe(node));
    return std::nullopt;
  }
  if (node.text.empty()) {
    at.problem(node.where, path, "must not be empty");
    return std::nullopt;
  }
  return node.text;
}

std::optional<std::int64_t> integer(MapReader& at, const SourceNode& node,
                                    const std::string& path, std::int64_t min, std::int64_t max) {
  std::int64_t value = 0;
  if (node.kind == SourceNode::Kind::Scalar) {
    const char* begin = node.text.data();
    const char* end = begin + node.text.size();
    const auto [stop, error] = std::from_chars(begin, end, value);
    if (error == std::errc() && stop == end && !node.text.empty() && value >= min &&
        value <= max) {
      return value;
    }
  }
  at.problem(node.where, path, range_text("an integer", min, max) + ", got " + describe(node));
  return std::nullopt;
}

}  // namespace check

bool MapReader::string(std::string_view key, std::string& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  auto value = check::string(*this, *node, path_of(key));
  if (!value) return false;
  out = std::move(*value);
  return true;
}

bool MapReader::boolean(std::string_view key, bool& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  // YAML 1.2 core schema only: "yes", "on" and friends are the 1.1 traps it removed.
  if (node->kind == SourceNode::Kind::Scalar) {
    const std::string& text = node->text;
    if (text == "true" || text == "True" || text == "TRUE") {
      out = true;
      return true;
    }
    if (text == "false" || text == "False" || text == "FALSE") {
      out = false;
      return true;
    }
  }
  problem(node->where, path_of(key), "expected true or false, got " + describe(*node));
  return false;
}

bool MapReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                        std::int64_t& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  auto value = check::integer(*this, *node, path_of(key), min, max);
  if (!value) return false;
  out = *value;
  return true;
}

bool MapReader::number(std::string_view key, double min, std::optional<double> max,
                       double& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  if (node->kind == SourceNode::Kind::Scalar && !node->text.empty()) {
    double value = 0;
    const char* begin = node->text.data();
    const char* end = begin + node->text.size();
    const auto [stop, error] = std::from_chars(begin, end, value);
    // Out of double's range (1e999, 1e-999) is an error from from_chars, NaN fails both tests.
    if (error == std::errc() && stop == end && std::isfinite(value) && value >= min &&
        (!max || value <= *max)) {
      out = value;
      return true;
    }
  }
  const std::string range = max ? "from " + number_text(min) + " to " + number_text(*max)
                                : ">= " + number_text(min);
  problem(node->where, path_of(key),
          "expected a number " + range + ", got " + describe(*node));
  return false;
}

bool MapReader::duration(std::string_view key, bool allow_zero, Duration& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  std::optional<Duration> value;
  if (node->kind == SourceNode::Kind::Scalar) value = parse_duration(node->text);
  if (!value) {
    problem(node->where, path_of(key),
            "expected a duration like \"2s\" or \"500ms\", got " + describe(*node));
    return false;
  }
  if (!allow_zero && value->count() == 0) {
    problem(node->where, path_of(key),
            "expected a duration greater than 0, got " + describe(*node));
    return false;
  }
  out = *value;
  return true;
}

bool MapReader::file_path(std::string_view key, std::filesystem::path& out,
                          std::uintmax_t max_bytes) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  auto text = check::string(*this, *node, path_of(key));
  if (!text) return false;
  out = named_file(*node, path_of(key), *text, max_bytes);
  return true;
}

std::filesystem::path MapReader::named_file(const SourceNode& node, const std::string& key_path,
                                            const std::string& written,
                                            std::uintmax_t max_bytes) {
  const std::filesystem::path path(written);
  std::filesystem::path resolved =
      path.is_absolute()
          ? path
          : (std::filesystem::path(node.where.file).parent_path() / path).lexically_normal();
  if (named_files_ != nullptr) {
    named_files_->push_back(
        {resolved, key_path, node.where.file, node.where.line, node.where.column, max_bytes});
  }
  return resolved;
}

bool MapReader::string_list(std::string_view key, std::vector<std::string>& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  if (node->kind != SourceNode::Kind::Sequence) {
    problem(node->where, path_of(key), "expected a list, got " + describe(*node));
    return false;
  }
  std::vector<std::string> values;
  bool valid = true;
  for (std::size_t i = 0; i < node->items.size(); ++i) {
    // An empty argument is legitimate on a command line, so only the type is checked.
    const SourceNode& item = node->items[i];
    if (item.kind == SourceNode::Kind::Scalar) {
      values.push_back(item.text);
    } else {
      problem(item.where, path_of(key) + "[" + std::to_string(i) + "]",
              "expected a string, got " + describe(item));
      valid = false;
    }
  }
  if (valid) out = std::move(values);
  return valid;
}

}  // namespace fc::profile
