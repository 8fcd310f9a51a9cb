// The console of several child runners at once (--devices N, a lab of devices): each child's
// stdout and stderr come through pipes and go out a whole line at a time, each line prefixed
// with the child's device ("[rig-a] fotacheck: ..."), so the devices' lines never mix mid-line
// and every line says which device it is about.
#pragma once

#include <spawn.h>

#include <iosfwd>
#include <string>
#include <vector>

namespace fc::runner {

class ChildLines {
 public:
  ChildLines(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}
  ~ChildLines();
  ChildLines(const ChildLines&) = delete;
  ChildLines& operator=(const ChildLines&) = delete;

  // New pipes for one child, connected by `actions` to its stdout and stderr; lines from them
  // get "[label] ". Returns the child's number for started()/ended(); throws when no pipe can
  // be made.
  std::size_t add(const std::string& label, posix_spawn_file_actions_t& actions);
  // The child was started (or could not be): the parent's copies of its pipes' write ends go.
  void started(std::size_t child);
  // Writes every whole line that arrives within `timeout_ms` (a signal may cut the wait short).
  void pump(int timeout_ms);
  // The child ended: what it left in its pipes is written, a last unfinished line too. Its
  // pipes are closed even if a process it started still holds them open.
  void ended(std::size_t child);

 private:
  struct Stream {
    int read_fd = -1;
    int write_fd = -1;  // the child's end, open in the parent until started()
    std::string prefix;
    std::ostream* to = nullptr;
    std::string pending;  // the start of a line not yet ended
  };
  void read_from(Stream& stream);
  void emit_lines(Stream& stream, bool flush_partial);
  static void close_stream(Stream& stream);

  std::ostream& out_;
  std::ostream& err_;
  std::vector<Stream> streams_;  // two per child: stdout, stderr
};

}  // namespace fc::runner
