#include "reports/progress.h"

#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>
#include <ostream>
#include <string_view>

#include "reports/case_text.h"
#include "reports/run_record.h"
#include "reports/text_safety.h"

namespace fc::reports {

std::string progress_line(const record::CaseRecord& record) {
  double seconds = std::chrono::duration<double>(record.ended - record.started).count();
  std::string line = fmt::format("{:<18} {:<12} {:>7.2f}s", case_label(record), record::to_string(record.verdict), seconds);
  if (record.verdict != record::Verdict::Pass) {
    auto why = headline(record);
    if (!why.empty()) line += "  " + why;
  }
  return terminal_line(line);  // a failure message may quote what the device sent
}

ProgressReporter::ProgressReporter(std::ostream& out, bool interactive) : out_(out), interactive_(interactive) {}

bool ProgressReporter::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

bool ProgressReporter::console_is_interactive() {
  const char* ci = std::getenv("CI");
  bool under_ci = ci != nullptr && *ci != '\0' && std::string_view(ci) != "false" && std::string_view(ci) != "0";
  return stderr_is_terminal() && !under_ci;
}

void ProgressReporter::case_started(const std::string& label, std::size_t index, std::size_t total) {
  current_ = fmt::format("[{}/{}] {}", index, total, label);
  if (!interactive_) return;
  out_ << "\r\x1b[K" << terminal_line(current_ + " running") << std::flush;
  transfer_shown_ = true;
}

void ProgressReporter::on_case(const record::CaseRecord& record) {
  clear_transfer();
  out_ << progress_line(record) << "\n" << std::flush;
}

void ProgressReporter::transfer(std::size_t blocks_done, std::size_t blocks_total, double bytes_per_second) {
  if (!interactive_) return;
  auto now = Clock::now();
  bool last = blocks_total && blocks_done >= blocks_total;
  if (transfer_shown_ && !last && now - last_draw_ < 100ms) return;
  last_draw_ = now;
  std::string line = current_.empty() ? "" : current_ + " running";
  line += blocks_total ? fmt::format("  block {}/{}", blocks_done, blocks_total) : fmt::format("  block {}", blocks_done);
  if (bytes_per_second >= 0) line += fmt::format("  {:.1f} KiB/s", bytes_per_second / 1024.0);
  out_ << "\r\x1b[K" << terminal_line(line) << std::flush;
  transfer_shown_ = true;
}

void ProgressReporter::clear_transfer() {
  if (!transfer_shown_) return;
  out_ << "\r\x1b[K" << std::flush;
  transfer_shown_ = false;
}

}  // namespace fc::reports
