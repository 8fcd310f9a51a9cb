#include "suite/profile/include.h"

#include <algorithm>
#include <system_error>
#include <unordered_map>

#include "suite/profile/regular_file.h"

namespace fc::profile {

namespace {

// What the chain names, for messages: the paths as the loader reached them.
std::string chain_text(const std::vector<std::filesystem::path>& chain,
                       const std::filesystem::path& last) {
  std::string out;
  for (const auto& file : chain) out += file.string() + " -> ";
  return out + last.string();
}

std::filesystem::path identity_of(const std::filesystem::path& file) {
  std::error_code ignored;
  auto canonical = std::filesystem::weakly_canonical(file, ignored);
  return canonical.empty() ? file.lexically_normal() : canonical;
}

class IncludeLoader {
 public:
  IncludeLoader(const LoadLimits& limits, ProfileProblems& problems)
      : limits_(limits), problems_(problems) {}

  // `included_at` is the `include:` value that named `file`; null for the top file.
  std::optional<SourceNode> load(const std::filesystem::path& file,
                                 const SourceNode* included_at) {
    const std::string name = file.string();
    std::string error;
    auto text = read_regular_file(file, limits_.file_bytes, error);
    if (!text) {
      if (included_at == nullptr) {
        problems_.push_back({name, 0, 0, "", "cannot read the profile: " + error});
      } else {
        report_at(*included_at, "cannot read included file \"" + name + "\": " + error +
                                    " (include chain: " + chain_text(chain_, file) + ")");
      }
      return std::nullopt;
    }
    auto root = parse_source(*text, name, limits_.nodes, problems_);
    if (!root) return std::nullopt;
    if (root->kind == SourceNode::Kind::Null) {
      root->kind = SourceNode::Kind::Map;
    } else if (root->kind != SourceNode::Kind::Map) {
      problems_.push_back({name, root->where.line, root->where.column, "",
                           "a profile is a map of sections, got " + describe(*root)});
      return std::nullopt;
    }
    auto include = std::find_if(root->entries.begin(), root->entries.end(),
                                [](const SourceEntry& e) { return e.key == "include"; });
    if (include == root->entries.end()) return root;

    const SourceNode& directive = include->value;
    if (directive.kind != SourceNode::Kind::Scalar || directive.text.empty()) {
      report_at(directive, "expected the path of a profile file to include, got " +
                               describe(directive));
      return std::nullopt;
    }
    const auto base_file = (file.parent_path() / directive.text).lexically_normal();
    chain_.push_back(file);
    identities_.push_back(identity_of(file));
    std::optional<SourceNode> base;
    if (std::find(identities_.begin(), identities_.end(), identity_of(base_file)) !=
        identities_.end()) {
      report_at(directive, "include cycle: " + chain_text(chain_, base_file));
    } else if (static_cast<int>(chain_.size()) > limits_.include_depth) {
      report_at(directive, "includes nest deeper than " + std::to_string(limits_.include_depth) +
                               " files (include chain: " + chain_text(chain_, base_file) + ")");
    } else {
      base = load(base_file, &directive);
      if (base) includes_.insert(includes_.begin(), base_file);
    }
    chain_.pop_back();
    identities_.pop_back();
    if (!base) return std::nullopt;
    root->entries.erase(include);
    merge_into(*base, std::move(*root));
    return base;
  }

  std::vector<std::filesystem::path> includes() const { return includes_; }

 private:
  void report_at(const SourceNode& directive, std::string message) {
    problems_.push_back({directive.where.file, directive.where.line, directive.where.column,
                         "include", std::move(message)});
  }

  const LoadLimits& limits_;
  ProfileProblems& problems_;
  std::vector<std::filesystem::path> chain_;       // files whose include is being followed
  std::vector<std::filesystem::path> identities_;  // the same, canonical, for cycle checks
  std::vector<std::filesystem::path> includes_;
};

}  // namespace

void merge_into(SourceNode& base, SourceNode over) {
  if (base.kind != SourceNode::Kind::Map || over.kind != SourceNode::Kind::Map) {
    base = std::move(over);
    return;
  }
  base.where = over.where;  // problems about the merged map point at the most derived file
  // Key -> position in base.entries, so that merging two large maps stays linear. Positions
  // stay valid as entries are appended; the keys of `over` are unique, so appended ones are
  // never looked up.
  std::unordered_map<std::string, std::size_t> position;
  position.reserve(base.entries.size());
  for (std::size_t i = 0; i < base.entries.size(); ++i) position.emplace(base.entries[i].key, i);
  for (auto& entry : over.entries) {
    if (auto found = position.find(entry.key); found != position.end()) {
      SourceEntry& inherited = base.entries[found->second];
      merge_into(inherited.value, std::move(entry.value));
      inherited.key_where = entry.key_where;
    } else {
      base.entries.push_back(std::move(entry));
    }
  }
}

std::optional<MergedSource> load_merged(const std::filesystem::path& file,
                                        const LoadLimits& limits, ProfileProblems& problems) {
  IncludeLoader loader(limits, problems);
  auto root = loader.load(file, nullptr);
  if (!root) return std::nullopt;
  return MergedSource{std::move(*root), loader.includes()};
}

}  // namespace fc::profile
