#include "reports/results_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <iostream>

#include "reports/results_json.h"
#include "reports/transfer_summary.h"

namespace fc::reports {

namespace {

// Writes `text` at `offset` and cuts the file there: one pwrite, so a crash leaves at worst the
// case being appended cut short (the earlier cases are never touched again).
void write_at(const std::filesystem::path& file, std::uintmax_t offset, std::string_view text) {
  auto fail = [&](const char* what) {
    throw std::runtime_error(fmt::format("cannot write {}: {}: {}", file.string(), what, std::strerror(errno)));
  };
  int fd = ::open(file.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail("open");
  auto close_and_fail = [&](const char* what) {
    int saved = errno;
    ::close(fd);
    errno = saved;
    fail(what);
  };
  for (std::size_t done = 0; done < text.size();) {
    auto n = ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) close_and_fail("write");
    done += static_cast<std::size_t>(n);
  }
  if (::ftruncate(fd, static_cast<off_t>(offset + text.size())) != 0) close_and_fail("truncate");
  if (::close(fd) != 0) fail("close");
}

}  // namespace

ResultsWriter::ResultsWriter(std::filesystem::path file, RunInfo info, Clock::time_point origin)
    : file_(std::move(file)) {
  record_.run = std::move(info);
  record_.origin = origin;
  auto opening = results_opening();
  write_atomically(file_, opening + results_closing(results_head(record_), false));
  cases_end_ = opening.size();
}

void ResultsWriter::on_case(const record::CaseRecord& record) {
  record_.cases.push_back(record);
  summarise_transfers(record_.cases.back());
  write(case_separator(record_.cases.size() == 1) + case_line(record_.cases.back(), record_.origin));
}

void ResultsWriter::set_device_read(nlohmann::json read) {
  record_.run.device.read = std::move(read);
  write();
}

void ResultsWriter::set_device_bootstrap(nlohmann::json bootstrap) {
  record_.run.device.bootstrap = std::move(bootstrap);
  write();
}

void ResultsWriter::set_diagnosis(std::string diagnosis) {
  record_.diagnosis = std::move(diagnosis);
  write();
}

void ResultsWriter::finish_interrupted(std::string signal_name) {
  record_.interrupted_by = std::move(signal_name);
  record_.ended_unix_ms = unix_ms_of(record_, Clock::now());
  write();
}

void ResultsWriter::finish() {
  record_.complete = true;
  record_.ended_unix_ms = unix_ms_of(record_, Clock::now());
  write();
}

void ResultsWriter::write(const std::string& added) {
  try {
    auto closing = results_closing(results_head(record_), !record_.cases.empty());
    if (cases_end_) {
      write_at(file_, *cases_end_, added + closing);
      *cases_end_ += added.size();
    } else {
      // An earlier write failed part-way: rebuild the file whole, then append again.
      auto text = results_document(record_);
      write_atomically(file_, text);
      cases_end_ = text.size() - closing.size();
    }
  } catch (const std::exception& e) {
    cases_end_.reset();
    if (last_error_.empty()) std::cerr << "fotacheck: " << e.what() << "\n";
    last_error_ = e.what();
  }
}

}  // namespace fc::reports
