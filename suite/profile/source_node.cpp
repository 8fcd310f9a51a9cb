#include "suite/profile/source_node.h"

#include <yaml-cpp/yaml.h>

#include <unordered_map>

namespace fc::profile {

const SourceEntry* SourceNode::find(std::string_view key) const {
  for (const auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

SourceEntry* SourceNode::find(std::string_view key) {
  for (auto& entry : entries) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

std::filesystem::path folder_of(const SourceNode& node) {
  const std::filesystem::path file(node.where.file);
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file, ec);
  return (ec ? file : absolute).parent_path();
}

std::string describe(const SourceNode& node) {
  switch (node.kind) {
    case SourceNode::Kind::Null: return "nothing";
    case SourceNode::Kind::Map: return "a map";
    case SourceNode::Kind::Sequence: return "a list";
    case SourceNode::Kind::Scalar: break;
  }
  return "\"" + node.text + "\"";
}

namespace {

SourceLocation locate(const YAML::Mark& mark, const std::string& file) {
  // yaml-cpp counts from 0 and uses -1 for "no position".
  return SourceLocation{file, mark.line >= 0 ? mark.line + 1 : 1,
                        mark.column >= 0 ? mark.column + 1 : 1};
}

std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

class Converter {
 public:
  Converter(const std::string& file, std::size_t max_nodes, ProfileProblems& problems)
      : file_(file), max_nodes_(max_nodes), problems_(problems) {}

  // An alias inside its own anchor (`a: &x [*x]`) makes yaml-cpp build a cyclic graph, and
  // nested aliases can multiply a small file into millions of nodes: both are cut off here.
  static constexpr int max_depth = 64;

  bool exceeded() const { return exceeded_; }

  SourceNode convert(const YAML::Node& node, const std::string& path, int depth = 0) {
    SourceNode out;
    out.where = locate(node.Mark(), file_);
    if (exceeded_) return out;
    if (depth > max_depth || ++nodes_ > max_nodes_) {
      exceeded_ = true;
      // The path of an endless structure is endless too: its start is enough to find it.
      const std::string shown = path.size() > 60 ? path.substr(0, 60) + "..." : path;
      problems_.push_back({file_, out.where.line, out.where.column, shown,
                           depth > max_depth
                               ? "nested deeper than " + std::to_string(max_depth) +
                                     " levels (an alias inside its own anchor?)"
                               : "more than " + std::to_string(max_nodes_) +
                                     " nodes (aliases expanding too far?)"});
      return out;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = SourceNode::Kind::Scalar;
        out.text = node.Scalar();
        break;
      case YAML::NodeType::Sequence:
        out.kind = SourceNode::Kind::Sequence;
        for (std::size_t i = 0; i < node.size(); ++i) {
          out.items.push_back(convert(node[i], path + "[" + std::to_string(i) + "]", depth + 1));
        }
        break;
      case YAML::NodeType::Map:
        out.kind = SourceNode::Kind::Map;
        convert_entries(node, path, depth, out);
        break;
      case YAML::NodeType::Null:
      case YAML::NodeType::Undefined:
        break;
    }
    return out;
  }

 private:
  void convert_entries(const YAML::Node& node, const std::string& path, int depth,
                       SourceNode& out) {
    // Key -> the line it was first given at: a lookup per key keeps a large map linear.
    std::unordered_map<std::string, int> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (exceeded_) return;  // the problem is reported; the rest would only cost time
      // Copies on purpose: `it->first` lives in a proxy that dies with the full expression.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const SourceLocation key_where = locate(key.Mark(), file_);
      if (!key.IsScalar()) {
        problems_.push_back({file_, key_where.line, key_where.column, path,
                             "keys must be plain names, got " +
                                 std::string(key.IsMap() ? "a map" : "a list")});
        continue;
      }
      const std::string name = key.Scalar();
      const auto [first, fresh] = seen.emplace(name, key_where.line);
      if (!fresh) {
        problems_.push_back({file_, key_where.line, key_where.column, child_path(path, name),
                             "duplicate key (first given at line " +
                                 std::to_string(first->second) + ")"});
        continue;
      }
      SourceEntry entry{name, key_where, convert(value, child_path(path, name), depth + 1)};
      // An empty value's mark is wherever the next token starts; its key is the useful place.
      if (entry.value.kind == SourceNode::Kind::Null) entry.value.where = key_where;
      out.entries.push_back(std::move(entry));
    }
  }

  const std::string& file_;
  std::size_t max_nodes_;
  ProfileProblems& problems_;
  std::size_t nodes_ = 0;
  bool exceeded_ = false;
};

}  // namespace

// Counts the YAML documents by their "---" start markers. YAML::LoadAll in Debian's yaml-cpp
// 0.7 allocates without bound on some inputs (a lone ",": upstream issue 1040, found by our
// fuzzer), so the file is parsed with YAML::Load, which reads the first document only, and a
// second document is found here instead.
std::optional<SourceLocation> second_document(std::string_view text, const std::string& file) {
  bool content_seen = false;
  int line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    auto end = text.find('\n', at);
    auto row = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    bool marker = row.substr(0, 3) == "---" && (row.size() == 3 || row[3] == ' ' || row[3] == '\t' || row[3] == '\r');
    if (marker && content_seen) return SourceLocation{file, line, 1};
    auto first = row.find_first_not_of(" \t\r");
    if (!marker && first != std::string_view::npos && row[first] != '#') content_seen = true;
    if (end == std::string_view::npos) break;
    at = end + 1;
  }
  return std::nullopt;
}

std::optional<SourceNode> parse_source(std::string_view text, const std::string& file,
                                       std::size_t max_nodes, ProfileProblems& problems) {
  YAML::Node document;
  try {
    document = YAML::Load(std::string(text));
  } catch (const YAML::ParserException& error) {
    const SourceLocation where = locate(error.mark, file);
    problems.push_back({file, where.line, where.column, "", "YAML syntax error: " + error.msg});
    return std::nullopt;
  } catch (const YAML::Exception& error) {
    const SourceLocation where = locate(error.mark, file);
    problems.push_back({file, where.line, where.column, "", "YAML error: " + error.msg});
    return std::nullopt;
  }
  if (auto second = second_document(text, file)) {
    problems.push_back({file, second->line, second->column, "", "a profile is one YAML document, found more"});
    return std::nullopt;
  }
  if (!document.IsDefined() || document.IsNull()) {
    SourceNode empty;
    empty.where = SourceLocation{file, 1, 1};
    return empty;
  }
  Converter converter(file, max_nodes, problems);
  SourceNode root = converter.convert(document, "");
  if (converter.exceeded()) return std::nullopt;
  return root;
}

}  // namespace fc::profile
