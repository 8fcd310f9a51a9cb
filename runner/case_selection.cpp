#include "runner/case_selection.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "suite/common/edit_distance.h"

namespace fc::runner {

namespace {

char folded(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), folded);
  return text;
}

bool has_wildcard(const std::string& pattern) { return pattern.find_first_of("*?") != std::string::npos; }

}  // namespace

bool id_matches(const std::string& pattern, const std::string& id) {
  // Iterative glob with one backtrack point: linear enough for ids of a few dozen characters.
  std::size_t p = 0, i = 0, star = std::string::npos, resume = 0;
  while (i < id.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || folded(pattern[p]) == folded(id[i]))) {
      ++p;
      ++i;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = i;
    } else if (star != std::string::npos) {
      p = star + 1;
      i = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::vector<std::string> closest_ids(const std::string& unknown, const std::vector<record::CaseMeta>& catalogue) {
  // A quarter of the id may be wrong (at least two typos): FU-RES-777-PULL finds FU-RES-776-PULL,
  // a word from another area does not drag in the whole catalogue.
  const std::size_t limit = std::max<std::size_t>(2, unknown.size() / 4);
  std::vector<std::pair<std::size_t, std::string>> near;
  for (const auto& c : catalogue) {
    auto distance = edit_distance(upper(unknown), upper(c.id));
    if (distance <= limit) near.emplace_back(distance, c.id);
  }
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> ids;
  for (const auto& [distance, id] : near) {
    if (ids.size() == 3 || distance > near.front().first + 1) break;
    ids.push_back(id);
  }
  return ids;
}

CaseSelection select_cases(const std::vector<std::string>& patterns, const std::vector<record::CaseMeta>& catalogue) {
  CaseSelection selection;
  std::set<const record::CaseMeta*> chosen;
  for (const auto& pattern : patterns) {
    bool any = false;
    for (const auto& c : catalogue)
      if (id_matches(pattern, c.id)) {
        any = true;
        chosen.insert(&c);
      }
    if (any) continue;
    std::string problem = has_wildcard(pattern) ? "no case id matches '" + pattern + "'"
                                                : "no case has the id '" + pattern + "'";
    auto near = has_wildcard(pattern) ? std::vector<std::string>{} : closest_ids(pattern, catalogue);
    for (std::size_t i = 0; i < near.size(); ++i)
      problem += (i == 0 ? "; did you mean " : i + 1 == near.size() ? " or " : ", ") + near[i];
    selection.problems.push_back(problem + (near.empty() ? " (see --list)" : "? (see --list)"));
  }
  for (const auto& c : catalogue)
    if (chosen.contains(&c)) selection.cases.push_back(&c);
  return selection;
}

std::string CaseSelection::gtest_filter() const {
  std::string filter;
  for (const auto* c : cases) filter += (filter.empty() ? "" : ":") + c->area + "." + c->name;
  return filter;
}

}  // namespace fc::runner
