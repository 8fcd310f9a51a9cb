#include "suite/profile/named_files.h"

#include "suite/profile/regular_file.h"

namespace fc::profile {

ProfileProblems named_file_problems(const Profile& profile) {
  ProfileProblems problems;
  for (const auto& named : profile.named_files) {
    if (auto problem = regular_file_problem(named.path, named.max_bytes)) {
      problems.push_back({named.named_in, named.line, named.column, named.key_path,
                          "cannot read \"" + named.path.string() + "\": " + *problem});
    }
  }
  return problems;
}

}  // namespace fc::profile
