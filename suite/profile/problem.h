// One thing wrong with a profile, located by file, line, column and key path.
#pragma once

#include <string>
#include <vector>

namespace fc::profile {

struct ProfileProblem {
  std::string file;
  int line = 0;    // 1-based; 0 when the file itself could not be read
  int column = 0;  // 1-based
  std::string key_path;  // "timing.coap.ack_timeout", "capabilities.pull[1]"; empty for syntax
  std::string message;

  // "dev.yaml:12:5: timing.coap.ack_timeout: expected ..."; "dev.yaml: cannot read ..." at line 0.
  std::string str() const;

  friend bool operator==(const ProfileProblem&, const ProfileProblem&) = default;
};

using ProfileProblems = std::vector<ProfileProblem>;

}  // namespace fc::profile
