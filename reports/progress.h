// Progress on the console: a line per finished case, and a status line ("[3/12] FU-PULL-COAP-756
// running  block 12/32  12.0 KiB/s") that redraws itself in place only on an interactive
// terminal (CI logs and pipes get the case lines alone).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "suite/record/case_record.h"
#include "suite/common/clock.h"

namespace fc::reports {

class ProgressReporter : public record::CaseRecordSink {
 public:
  // `interactive`: the stream is a terminal (see stderr_is_terminal()).
  ProgressReporter(std::ostream& out, bool interactive);

  // "FU-OBJ-751        pass          0.12s" (and the first line of why, when not a pass).
  void on_case(const record::CaseRecord& record) override;
  // The status line for the case that starts: "[3/12] FU-PULL-COAP-756 running"; nothing when
  // not interactive.
  void case_started(const std::string& label, std::size_t index, std::size_t total);
  // "  block 12/32  12.0 KiB/s" redrawn in place, at most ten times a second; nothing when
  // not interactive. `bytes_per_second` < 0 leaves the rate out.
  void transfer(std::size_t blocks_done, std::size_t blocks_total, double bytes_per_second);
  // Erases the transfer line, if one is shown.
  void clear_transfer();

  static bool stderr_is_terminal();
  // Whether to draw the status line: stderr is a terminal and no CI is declared (CI=true, as
  // GitHub Actions and GitLab set it, asks for plain lines even on a pseudo-terminal).
  static bool console_is_interactive();

 private:
  std::ostream& out_;
  bool interactive_;
  bool transfer_shown_ = false;
  std::string current_;  // "[3/12] FU-PULL-COAP-756": the case the status line is about
  Clock::time_point last_draw_{};
};

// The line on_case prints, without the newline.
std::string progress_line(const record::CaseRecord& record);

}  // namespace fc::reports
