#include "suite/profile/loader.h"

#include <algorithm>
#include <exception>
#include <tuple>

#include "suite/profile/include.h"
#include "suite/profile/named_files.h"
#include "suite/profile/schema.h"

namespace fc::profile {

namespace {

// Keys and values are quoted back in messages; a stray control byte must not garble a terminal.
std::string escape_controls(const std::string& text) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out.push_back(digits[byte >> 4]);
      out.push_back(digits[byte & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void tidy(ProfileProblems& problems) {
  for (auto& problem : problems) {
    problem.key_path = escape_controls(problem.key_path);
    problem.message = escape_controls(problem.message);
  }
}

void order(ProfileProblems& problems) {
  auto position = [](const ProfileProblem& p) { return std::tie(p.file, p.line, p.column); };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const ProfileProblem& a, const ProfileProblem& b) {
                     return position(a) < position(b);
                   });
  problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
}

}  // namespace

ProfileLoad load_profile(const std::filesystem::path& file, const LoadOptions& options) {
  ProfileLoad result;
  try {
    auto merged = load_merged(file, options.limits, result.problems);
    if (merged) {
      Profile profile = read_schema(merged->root, result.problems);
      profile.source = file;
      profile.includes = std::move(merged->includes);
      if (options.check_named_files) {
        ProfileProblems files = named_file_problems(profile);
        result.problems.insert(result.problems.end(), files.begin(), files.end());
      }
      if (result.problems.empty()) result.profile = std::move(profile);
    }
  } catch (const std::exception& error) {
    // Only resource failures get here (allocation, the file system); still an answer.
    result.problems.push_back({file.string(), 0, 0, "",
                               std::string("cannot load the profile: ") + error.what()});
  }
  tidy(result.problems);
  order(result.problems);
  return result;
}

ProfileLoad load_profile(const std::filesystem::path& file) {
  return load_profile(file, LoadOptions());
}

}  // namespace fc::profile
