// Reads one map of a profile field by field into typed values, collecting every problem.
// The keys a reader is asked for are the map's known keys; finish() reports all others.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "suite/common/clock.h"
#include "suite/profile/load_limits.h"
#include "suite/profile/names.h"
#include "suite/profile/problem.h"
#include "suite/profile/profile.h"
#include "suite/profile/source_node.h"

namespace fc::profile {

class MapReader {
 public:
  // `node` null (the map is absent) or Null (written empty) reads as an empty map. `anchor` is
  // where problems about missing keys point: the map's own key, or the top of the file.
  MapReader(ProfileProblems& problems, const SourceNode* node, std::string path,
            SourceLocation anchor);

  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const;
  const SourceLocation& anchor() const { return anchor_; }
  bool present() const { return node_ != nullptr; }

  // Each of these declares `key` known.
  void known(std::string_view key);
  const SourceEntry* entry(std::string_view key);
  const SourceNode* get(std::string_view key);
  bool has(std::string_view key) { return get(key) != nullptr; }
  MapReader section(std::string_view key);  // a nested map (problem if it is something else)

  // Typed fields: `out` is assigned only when the key is present and its value valid.
  bool string(std::string_view key, std::string& out);  // not empty
  bool boolean(std::string_view key, bool& out);
  bool integer(std::string_view key, std::int64_t min, std::int64_t max, std::int64_t& out);
  template <typename Int>
  bool integer(std::string_view key, std::int64_t min, std::int64_t max, Int& out);
  template <typename Int>
  bool integer(std::string_view key, std::int64_t min, std::int64_t max,
               std::optional<Int>& out);
  // Finite, from `min` to `max` (both included; no upper bound when unset).
  bool number(std::string_view key, double min, std::optional<double> max, double& out);
  bool duration(std::string_view key, bool allow_zero, Duration& out);
  // Relative to the file it is written in; recorded as a named file (see record_named_files).
  bool file_path(std::string_view key, std::filesystem::path& out,
                 std::uintmax_t max_bytes = max_credential_bytes);
  // `written` resolved against the folder of the file `node` comes from, and recorded.
  std::filesystem::path named_file(const SourceNode& node, const std::string& key_path,
                                   const std::string& written, std::uintmax_t max_bytes);
  // Where file_path and named_file record, for this map and the sections read from it.
  void record_named_files(std::vector<NamedFile>& sink) { named_files_ = &sink; }
  bool string_list(std::string_view key, std::vector<std::string>& out);
  template <typename Enum>
  bool choice(std::string_view key, Enum& out);
  template <typename Enum>
  bool choice(std::string_view key, std::optional<Enum>& out);
  // Each item one of `table`, none twice.
  template <typename Value>
  bool choice_list(std::string_view key, std::span<const Choice<Value>> table,
                   std::vector<Value>& out);

  void problem(const SourceLocation& where, std::string key_path, std::string message);
  void problem_at(std::string_view key, std::string message);  // at the key's value
  void missing(std::string_view key, std::string message = "required key is missing");

  // Reports every key of the map that no call above asked for.
  void finish();

 private:
  ProfileProblems& problems_;
  const SourceNode* node_;
  std::string path_;
  SourceLocation anchor_;
  std::vector<std::string> known_;
  std::vector<NamedFile>* named_files_ = nullptr;
};

// The checks behind the readers, for values that are not directly under a map key.
namespace check {
std::optional<std::string> string(MapReader& at, const SourceNode& node, const std::string& path);
std::optional<std::int64_t> integer(MapReader& at, const SourceNode& node,
                                    const std::string& path, std::int64_t min, std::int64_t max);
template <typename Value>
std::optional<Value> choice(MapReader& at, const SourceNode& node, const std::string& path,
                            std::span<const Choice<Value>> table) {
  if (node.kind == SourceNode::Kind::Scalar) {
    for (const auto& option : table) {
      if (option.name == node.text) return option.value;
    }
  }
  at.problem(node.where, path, "expected one of " + list_names(table) + ", got " + describe(node));
  return std::nullopt;
}
}  // namespace check

template <typename Int>
bool MapReader::integer(std::string_view key, std::int64_t min, std::int64_t max, Int& out) {
  std::int64_t value = 0;
  if (!integer(key, min, max, value)) return false;
  out = static_cast<Int>(value);
  return true;
}

template <typename Int>
bool MapReader::integer(std::string_view key, std::int64_t min, std::int64_t max,
                        std::optional<Int>& out) {
  Int value{};
  if (!integer(key, min, max, value)) return false;
  out = value;
  return true;
}

template <typename Enum>
bool MapReader::choice(std::string_view key, Enum& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  auto value = check::choice(*this, *node, path_of(key), choices<Enum>());
  if (!value) return false;
  out = *value;
  return true;
}

template <typename Enum>
bool MapReader::choice(std::string_view key, std::optional<Enum>& out) {
  Enum value{};
  if (!choice(key, value)) return false;
  out = value;
  return true;
}

template <typename Value>
bool MapReader::choice_list(std::string_view key, std::span<const Choice<Value>> table,
                            std::vector<Value>& out) {
  const SourceNode* node = get(key);
  if (node == nullptr) return false;
  if (node->kind != SourceNode::Kind::Sequence) {
    problem(node->where, path_of(key), "expected a list, got " + describe(*node));
    return false;
  }
  std::vector<Value> values;
  bool valid = true;
  for (std::size_t i = 0; i < node->items.size(); ++i) {
    const SourceNode& item = node->items[i];
    const std::string item_path = path_of(key) + "[" + std::to_string(i) + "]";
    auto value = check::choice(*this, item, item_path, table);
    if (!value) {
      valid = false;
    } else if (std::find(values.begin(), values.end(), *value) != values.end()) {
      problem(item.where, item_path, "\"" + item.text + "\" is listed twice");
      valid = false;
    } else {
      values.push_back(*value);
    }
  }
  if (valid) out = std::move(values);
  return valid;
}

}  // namespace fc::profile
