// `--case` patterns to the cases they select: exact ids, wildcards (`FU-PUSH-*`, `FU-RES-77?`),
// and for an id no case has, the ids it was probably meant to be.
#pragma once

#include <string>
#include <vector>

#include "suite/record/case_meta.h"

namespace fc::runner {

struct CaseSelection {
  std::vector<const record::CaseMeta*> cases;  // catalogue order, each case once
  std::vector<std::string> problems;           // one line per pattern that selects nothing
  // GoogleTest's filter for the selected cases: "Area.Name:Area.Name".
  std::string gtest_filter() const;
};

// Every pattern must select at least one case; ids match without regard to case. A pattern
// that selects nothing is a problem: "no case has the id 'FU-RES-777-PULL'; did you mean
// FU-RES-776-PULL? (see --list)".
CaseSelection select_cases(const std::vector<std::string>& patterns,
                           const std::vector<record::CaseMeta>& catalogue);

// `*` any run of characters, `?` one character; the rest literally, without regard to case.
bool id_matches(const std::string& pattern, const std::string& id);
// The catalogue ids closest to `unknown` (at most a few typos away), closest first; at most 3.
std::vector<std::string> closest_ids(const std::string& unknown, const std::vector<record::CaseMeta>& catalogue);

}  // namespace fc::runner
