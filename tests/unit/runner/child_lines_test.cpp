// ChildLines: every line of a child's stdout and stderr comes out whole with the child's label,
// and the pipes of a child that could not be started are closed at once, not at the run's end.
#include "runner/child_lines.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace fc::runner {
namespace {

std::size_t open_descriptors() {
  std::size_t count = 0;
  if (DIR* dir = ::opendir("/proc/self/fd")) {
    while (::readdir(dir)) ++count;
    ::closedir(dir);
  }
  return count;
}

TEST(ChildLines, PrefixesEveryLineOfAChildWithItsLabel) {
  std::ostringstream out, err;
  ChildLines lines(out, err);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const auto child = lines.add("rig-a", actions);
  std::string script = "printf 'one\\ntwo\\n'; printf 'oops\\n' >&2; printf 'no newline'";
  std::vector<char*> argv{const_cast<char*>("/bin/sh"), const_cast<char*>("-c"), script.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, "/bin/sh", &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  lines.started(child);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  lines.ended(child);
  EXPECT_EQ(out.str(), "[rig-a] one\n[rig-a] two\n[rig-a] no newline\n");
  EXPECT_EQ(err.str(), "[rig-a] oops\n");
}

TEST(ChildLines, ClosesThePipesOfAChildThatNeverStartedWhenItIsEnded) {
  std::ostringstream out, err;
  ChildLines lines(out, err);
  const auto before = open_descriptors();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const auto child = lines.add("rig-b", actions);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(open_descriptors(), before + 4) << "two pipes, both ends open in the parent";
  lines.started(child);
  lines.ended(child);
  EXPECT_EQ(open_descriptors(), before);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "");
}

}  // namespace
}  // namespace fc::runner
