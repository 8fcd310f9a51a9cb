// A parsed YAML document whose every node remembers the file and position it came from, so
// problems still point into the right file after an included profile has been merged in.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "suite/profile/problem.h"

namespace fc::profile {

struct SourceLocation {
  std::string file;
  int line = 1;    // 1-based
  int column = 1;  // 1-based
};

struct SourceEntry;

struct SourceNode {
  enum class Kind { Null, Scalar, Sequence, Map };

  Kind kind = Kind::Null;
  std::string text;                  // Scalar: the text as written, without quotes
  std::vector<SourceNode> items;     // Sequence
  std::vector<SourceEntry> entries;  // Map: document order, keys unique
  SourceLocation where;              // a Null value in a map is located at its key

  const SourceEntry* find(std::string_view key) const;
  SourceEntry* find(std::string_view key);
};

struct SourceEntry {
  std::string key;
  SourceLocation key_where;
  SourceNode value;
};

// The folder of the file `node` was written in, made absolute: {profile_dir} for its values.
std::filesystem::path folder_of(const SourceNode& node);

// "a map", "a list", "nothing", or the scalar quoted: for "expected X, got Y" messages.
std::string describe(const SourceNode& node);

// Parses the text of `file`. YAML syntax errors, more than one document, keys that are not
// plain scalars and keys given twice are added to `problems` (yaml-cpp itself accepts a key
// given twice and keeps both). nullopt when the text could not be parsed at all. An empty
// document is a Null node at 1:1. More than `max_nodes` nodes (aliases expanded) is a problem.
std::optional<SourceNode> parse_source(std::string_view text, const std::string& file,
                                       std::size_t max_nodes, ProfileProblems& problems);

}  // namespace fc::profile
