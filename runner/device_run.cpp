#include "runner/device_run.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <fmt/format.h>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include "suite/record/case_meta.h"
#include "fixtures/run_context.h"
#include "reports/text_safety.h"
#include "reports/live_reports.h"
#include "reports/run_info.h"
#include "runner/exit_status.h"
#include "suite/profile/names.h"

namespace fc::runner {

namespace {

namespace fs = std::filesystem;
using record::CaseRecord;
using fixtures::RunContext;
using record::Verdict;

const char* signal_name(int signal) { return signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal"; }

// The first SIGINT/SIGTERM asks the run to stop: every wait returns, the case in progress
// ends, the device is stopped and the reports are finished. A second one does not wait for
// any of that: it kills the device's process group and exits.
void on_stop_signal(int signal) {
  static std::atomic<int> received{0};
  if (received.fetch_add(1) == 0) {
    RunContext::request_interrupt(signal);
    static const char message[] =
        "\nfotacheck: stopping: ending the case in progress, stopping the device, writing the reports "
        "(a second signal exits at once)\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
    return;
  }
  int group = RunContext::device_process_group();
  if (group > 0) ::kill(-group, SIGKILL);
  ::_exit(128 + signal);
}

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking poll() returns with EINTR at once
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

// Between the cases and the reports: a case that ends after a signal judged nothing (its
// waits were cut short), so it is inconclusive whatever it concluded.
class InterruptionAwareSink : public record::CaseRecordSink {
 public:
  explicit InterruptionAwareSink(reports::LiveReports& live) : live_(live) {}

  void on_case(const CaseRecord& record) override {
    seen_.insert(record.meta.area + "." + record.meta.name);
    int signal = RunContext::interrupt_signal();
    if (!signal || record.verdict == Verdict::Skipped || record.verdict == Verdict::NotTested) {
      live_.on_case(record);
      return;
    }
    CaseRecord cut = record;
    cut.verdict = Verdict::Inconclusive;
    cut.reason = fmt::format("interrupted by {} while the case ran; it judged nothing (it had reached: {})",
                             signal_name(signal), record::to_string(record.verdict) +
                                                      (record.reason.empty() ? "" : ", " + record.reason));
    live_.on_case(cut);
  }
  bool seen(const std::string& full_name) const { return seen_.contains(full_name); }

 private:
  reports::LiveReports& live_;
  std::set<std::string> seen_;
};

class DeviceRun {
 public:
  DeviceRun(const profile::Profile& profile, const RunOptions& options) : options_(options) {
    RunContext::install(std::make_unique<RunContext>(profile, options.reports_dir));
    auto& run = RunContext::current();
    run.set_device_args(options.device_args);
    run.keep_device_state(options.keep_device_state);
    auto info = reports::make_run_info(profile, options.profile_file, FOTACHECK_VERSION, run.endpoint(),
                                       run.server().uri(), run.server().address().authority());
    reports::describe_device_under_test(info.device, profile, run.session().start_context());
    live_ = std::make_unique<reports::LiveReports>(options.reports_dir, std::move(info), std::cerr,
                                                   reports::ProgressReporter::console_is_interactive());
    live_->set_report_url(options.report_url);
    const auto& start = run.session().start_context();
    live_->capture_wire(std::string("fotacheck ") + FOTACHECK_VERSION,
                        {start.psk_identity, start.psk_key_hex, start.bootstrap_psk_identity, start.bootstrap_psk_key_hex});
    sink_ = std::make_unique<InterruptionAwareSink>(*live_);
    run.add_sink(sink_.get());
    run.on_transfer_progress([this](std::size_t done, std::size_t total, double rate) {
      live_->progress().transfer(done, total, rate);
    });
  }

  // GoogleTest calls this only when the selection runs at least one case: then the device is
  // started and must register before any case; otherwise the cases are not run.
  bool start_device() {
    if (started_) return !diagnosis_;
    started_ = true;
    auto& run = RunContext::current();
    int selected = ::testing::UnitTest::GetInstance()->test_to_run_count();
    std::cerr << fmt::format("fotacheck: {} case{} selected; profile {}\n", selected, selected == 1 ? "" : "s",
                             reports::terminal_line(options_.profile_file.string()));
    std::cerr << "fotacheck: reference server at " << run.server().uri() << ", starting the device '" << reports::terminal_line(run.endpoint())
              << "'\n";
    if (const auto* bootstrap = run.bootstrap())
      std::cerr << "fotacheck: bootstrap server at " << bootstrap->uri() << " (client-initiated bootstrap)\n";
    const bool up = run.start_device();
    if (const auto* bootstrap = run.bootstrap())
      live_->set_device_bootstrap(reports::bootstrap_json(
          *bootstrap, run.endpoint(), profile::to_string(run.profile().bootstrap.dm_credentials)));
    if (!up) {
      diagnosis_ = run.diagnosis().value_or("the device did not come up");
      return false;
    }
    if (const auto* registration = run.server().registry().find_by_endpoint(run.endpoint()))
      live_->set_device_read(reports::device_read_json(*registration));
    return true;
  }

  reports::ProgressReporter& progress() { return live_->progress(); }

  // Stops the device, finishes every report from what was gathered and says how the run ended.
  int finish() {
    int signal = RunContext::interrupt_signal();
    const auto* unit = ::testing::UnitTest::GetInstance();
    if (signal) record_cases_not_run(signal);
    else if (!started_ && unit->test_to_run_count() == 0)
      diagnosis_ = fmt::format("the selection runs no case ({}); see --list", options_.selection);
    if (diagnosis_ && !signal) live_->set_diagnosis(*diagnosis_);

    auto& run = RunContext::current();
    // The cases have ended: from here on the waits of stopping the device run their course
    // (a second signal still ends everything at once).
    fc::set_wait_interruption(nullptr);
    run.stop_device();
    keep_device_log(run);
    if (options_.keep_device_state)
      std::cerr << "fotacheck: the device's state is kept in " << run.device_workdir().string() << "\n";
    RunContext::uninstall();  // removes the device's scratch folder unless kept

    if (signal) live_->finish_interrupted(signal_name(signal));
    else live_->finish();
    const auto& record = live_->record();
    auto counts = reports::verdict_counts(record);
    // The plain "N passed, N failed" shape CI log readers know, then the verdicts it folds in.
    std::cerr << fmt::format("fotacheck: {} passed, {} failed ({} pass, {} non-strict, {} info; {} skipped, {} not-tested, "
                             "{} inconclusive)\n",
                             counts["pass"] + counts["non-strict"] + counts["info"], counts["fail"], counts["pass"],
                             counts["non-strict"], counts["info"], counts["skipped"], counts["not-tested"],
                             counts["inconclusive"]);
    auto where = fs::absolute(options_.reports_dir).string();
    for (const auto& problem : live_->write_problems()) std::cerr << "fotacheck: " << problem << "\n";
    if (signal) {
      std::cerr << "fotacheck: interrupted by " << signal_name(signal) << "; reports written to " << where
                << (live_->write_problems().empty() ? "" : " (some could not be written, see above)") << "\n";
      return 128 + signal;
    }
    if (!live_->write_problems().empty()) {
      std::cerr << "fotacheck: the reports in " << where
                << " could not all be written (an environment error, not a device verdict)\n";
      return kEnvironmentError;
    }
    if (diagnosis_) {
      std::cerr << "fotacheck: " << reports::terminal_text(*diagnosis_) << "\nNo case was run.\n";
      std::cout << "reports written to " << where << "\n";
      return kEnvironmentError;
    }
    std::cerr << "fotacheck: " << reports::conclusion_line(record) << "\n";
    std::cout << "reports written to " << where << " (results.json, junit.xml, report.html, summary.md, pcap/)\n";
    return exit_status_for(reports::conclusion(record));
  }

 private:
  const RunOptions& options_;
  std::unique_ptr<reports::LiveReports> live_;
  std::unique_ptr<InterruptionAwareSink> sink_;
  bool started_ = false;
  std::optional<std::string> diagnosis_;

  // Every selected case the run did not reach: recorded as not run, so no report reads as if
  // the selection had been smaller.
  void record_cases_not_run(int signal) {
    const auto* unit = ::testing::UnitTest::GetInstance();
    for (int s = 0; s < unit->total_test_suite_count(); ++s) {
      const auto* suite = unit->GetTestSuite(s);
      for (int t = 0; t < suite->total_test_count(); ++t) {
        const auto* test = suite->GetTestInfo(t);
        if (!test->should_run() || sink_->seen(std::string(suite->name()) + "." + test->name())) continue;
        CaseRecord record;
        if (const auto* meta = record::Catalogue::instance().find(suite->name(), test->name())) record.meta = *meta;
        record.meta.area = suite->name();
        record.meta.name = test->name();
        record.verdict = Verdict::NotTested;
        record.reason = fmt::format("{} by {}", reports::kNotRunReason, signal_name(signal));
        record.started = record.ended = record.trace_origin = Clock::now();
        live_->add_not_run(record);
      }
    }
  }

  // The device's log outlives its scratch folder: it is part of what the run gathered.
  void keep_device_log(const RunContext& run) {
    for (const char* name : {"device.log", "hooks.log"}) {
      std::error_code ec;
      auto from = run.device_workdir() / name;
      if (!fs::is_regular_file(from, ec)) continue;
      fs::copy_file(from, options_.reports_dir / name, fs::copy_options::overwrite_existing, ec);
      if (ec) std::cerr << "fotacheck: cannot copy " << from.string() << " into the reports: " << ec.message() << "\n";
    }
  }
};

DeviceRun* active_run = nullptr;

class DeviceEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    // A fatal failure here makes GoogleTest mark every case skipped (a skip here would let it
    // print "PASSED" for cases it never ran); the runner reports the diagnosis, exit 2.
    if (!active_run->start_device()) FAIL() << "no case was run: the device did not come up";
  }
};

// fotacheck's console in place of GoogleTest's printer: the status line when a case starts (its
// result line comes from the reports, one per case), and none of GoogleTest's own lines
// ("[ RUN      ]", "fota_case.cpp:66: Skipped") that would repeat each case.
class ConsoleListener : public ::testing::EmptyTestEventListener {
 public:
  explicit ConsoleListener(reports::ProgressReporter& progress) : progress_(progress) {}
  void OnTestStart(const ::testing::TestInfo& test) override {
    const auto* meta = record::Catalogue::instance().find(test.test_suite_name(), test.name());
    std::string label = meta ? meta->id : std::string(test.test_suite_name()) + "." + test.name();
    auto total = static_cast<std::size_t>(::testing::UnitTest::GetInstance()->test_to_run_count());
    progress_.case_started(label, ++started_, total);
  }

 private:
  reports::ProgressReporter& progress_;
  std::size_t started_ = 0;
};

// After each case: once a signal came, the remaining cases are not run.
class InterruptionListener : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo&) override {
    if (!RunContext::interrupt_signal()) return;
    std::cout.flush();
    int status = active_run->finish();
    std::exit(status);
  }
};

}  // namespace

int run_device(const profile::Profile& profile, const RunOptions& options) {
  install_stop_handlers();
  std::unique_ptr<DeviceRun> run;
  try {
    run = std::make_unique<DeviceRun>(profile, options);
  } catch (const std::exception& e) {
    std::cerr << "fotacheck: " << reports::terminal_text(e.what()) << "\nNo case was run.\n";
    RunContext::uninstall();
    return kEnvironmentError;
  }
  active_run = run.get();
  ::testing::AddGlobalTestEnvironment(new DeviceEnvironment);
  auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
  if (!options.googletest_printer) delete listeners.Release(listeners.default_result_printer());
  listeners.Append(new ConsoleListener(run->progress()));
  listeners.Append(new InterruptionListener);
  try {
    // The verdicts come from the records; GoogleTest's status would count SHOULD failures too.
    [[maybe_unused]] int gtest_status = RUN_ALL_TESTS();
  } catch (const std::exception& e) {
    std::cerr << "fotacheck: " << reports::terminal_text(e.what()) << "\n";
    run->finish();
    return kEnvironmentError;
  }
  return run->finish();
}

}  // namespace fc::runner
