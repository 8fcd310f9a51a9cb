// The `fotacheck` runner: GoogleTest's main with the suite's own options around it.
//
//   fotacheck [--profile FILE] [--reports DIR] [--list] [--gtest_filter=...]
//   fotacheck validate PROFILE
//   fotacheck report RESULTS.json [MORE.json...] [--out DIR]
//
// Exit status: 0 when every MUST case passed, 1 when one failed, 2 for a configuration or
// environment error (broken profile, device that never registers).
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <tuple>

#include "fixtures/case_meta.h"
#include "fixtures/run_context.h"
#include "reports/live_reports.h"
#include "reports/report_set.h"
#include "reports/run_info.h"
#include "reports/text_safety.h"
#include "suite/profile/loader.h"
#include "suite/profile/validate.h"

namespace {

namespace fs = std::filesystem;
using fc::fixtures::Catalogue;

constexpr int kConfigError = 2;

void list_cases() {
  std::cout << fmt::format("{:<18} {:<7} {:<5} {}\n", "ID", "LEVEL", "ETS", "CASE / REQUIREMENT");
  for (const auto& c : Catalogue::instance().all()) {
    std::string needs;
    for (auto n : c.needs) needs += (needs.empty() ? "" : ", ") + fc::fixtures::to_string(n);
    for (auto f : c.faults) needs += (needs.empty() ? "" : ", ") + ("fault " + fc::fixtures::to_string(f));
    std::cout << fmt::format("{:<18} {:<7} {:<5} {}.{}\n{:<32}{}\n", c.id, fc::fixtures::to_string(c.level),
                             c.ets ? std::to_string(*c.ets) : "-", c.area, c.name, "", c.requirement);
    if (!needs.empty()) std::cout << fmt::format("{:<32}needs: {}\n", "", needs);
  }
  std::cout << Catalogue::instance().all().size() << " cases\n";
}

// docs/catalogue.md: every case's metadata grouped by area (areas and ids sorted, so the file
// does not depend on link order). A CTest fails when the committed copy drifts from this.
std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out.empty() ? "-" : out;
}

void print_catalogue_markdown() {
  auto cases = Catalogue::instance().all();
  std::stable_sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
    return std::tie(a.area, a.id) < std::tie(b.area, b.id);
  });
  std::cout << "# fotacheck case catalogue\n\n"
            << "Generated from the cases' metadata (`FOTA_CASE`, fixtures/case_meta.h); do not edit by hand.\n"
            << "Regenerate with `fotacheck --catalogue-markdown > docs/catalogue.md`.\n\n"
            << cases.size() << " cases. Levels: MUST cases decide the exit status; SHOULD and INFO cases are reported.\n";
  for (std::size_t i = 0; i < cases.size();) {
    const auto& area = cases[i].area;
    std::size_t end = i;
    while (end < cases.size() && cases[end].area == area) ++end;
    std::cout << fmt::format("\n## {} ({} case{})\n\n", area, end - i, end - i == 1 ? "" : "s")
              << "| ID | Level | ETS | Clause | Requirement | Needs | Faults |\n|---|---|---|---|---|---|---|\n";
    for (; i < end; ++i) {
      const auto& c = cases[i];
      std::string needs, faults;
      for (auto n : c.needs) needs += (needs.empty() ? "" : ", ") + fc::fixtures::to_string(n);
      for (auto f : c.faults) faults += (faults.empty() ? "" : ", ") + fc::fixtures::to_string(f);
      std::cout << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(c.id),
                               fc::fixtures::to_string(c.level), c.ets ? std::to_string(*c.ets) : "-",
                               markdown_cell(c.clause), markdown_cell(c.requirement), markdown_cell(needs),
                               markdown_cell(faults));
    }
  }
}

fs::path default_reports_dir() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return fs::path("fotacheck-reports") / stamp;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "fotacheck: conformance and interop suite for the LwM2M Firmware Update object (/5).\n"
      "Plays the reference LwM2M server and firmware repository, drives the device the profile\n"
      "describes through the cases, and writes JUnit XML and JSON results to the report folder.\n"
      "Options not listed here (--gtest_filter=..., --gtest_repeat=N, ...) go to GoogleTest.\n"
      "Exit status: 0 every MUST case passed; 1 a MUST case failed; 2 configuration or environment error."};
  app.allow_extras();
  fs::path profile_file = FOTACHECK_DEFAULT_PROFILE;
  fs::path reports_dir;
  bool list = false;
  bool verbose = false;
  app.add_option("--profile,-p", profile_file, "device profile (YAML); default: the bundled reference client")
      ->capture_default_str();
  app.add_option("--reports,-r", reports_dir, "report folder (default: fotacheck-reports/<date-time>)");
  std::vector<std::string> device_args;
  app.add_option("--device-arg", device_args,
                 "one more argument for the device process, repeatable; write options with '=': "
                 "--device-arg=--mutant --device-arg=update-in-idle")
      ->allow_extra_args(false);
  std::vector<std::string> case_ids;
  app.add_option("--case,-c", case_ids, "run only the case with this id (repeatable), e.g. --case FU-RES-776-PULL");
  app.add_flag("--list", list, "list every case with its id, level, ETS case and requirement, then exit");
  bool catalogue_markdown = false;
  app.add_flag("--catalogue-markdown", catalogue_markdown,
               "print the case catalogue (docs/catalogue.md) as Markdown, grouped by area, then exit");
  app.add_flag("--verbose,-v", verbose, "log every registration and exchange on stderr");
  fs::path validate_file;
  auto* validate = app.add_subcommand("validate", "check a device profile and print every problem with file:line");
  validate->add_option("profile", validate_file, "the profile to check")->required();
  std::string report_first;  // more files arrive as extras: a vector option trips a GCC 12 warning in CLI11
  std::string report_out;
  auto* report = app.add_subcommand(
      "report", "rebuild JUnit, HTML, Markdown and pcaps from a results.json; with several, compare the devices");
  report->add_option("results", report_first, "results.json of a run (several: a comparison, devices as columns)")
      ->required();
  report->allow_extras();
  report->add_option("--out,-o", report_out, "output folder (default: the results file's folder; for a comparison: .)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kConfigError;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);

  if (*validate) return fc::profile::run_validate(validate_file, std::cout);
  if (*report) {
    std::vector<fs::path> inputs{report_first};
    for (const auto& more : report->remaining()) inputs.emplace_back(more);
    return fc::reports::run_report_command(inputs, report_out, std::cout, std::cerr);
  }
  if (list) {
    list_cases();
    return 0;
  }
  if (catalogue_markdown) {
    print_catalogue_markdown();
    return 0;
  }

  auto load = fc::profile::load_profile(profile_file);
  if (!load.ok()) {
    for (const auto& p : load.problems) std::cerr << p.str() << "\n";
    std::cerr << "fotacheck: the profile has " << load.problems.size() << " problem(s); nothing was run\n";
    return kConfigError;
  }
  if (reports_dir.empty()) reports_dir = default_reports_dir();
  std::error_code ec;
  fs::create_directories(reports_dir, ec);
  if (ec) {
    std::cerr << "fotacheck: cannot create the report folder " << reports_dir << ": " << ec.message() << "\n";
    return kConfigError;
  }

  // GoogleTest gets the extras; JUnit XML comes from the reports (written from results.json).
  std::vector<std::string> gtest_args{argc > 0 && argv[0] ? argv[0] : "fotacheck"};
  for (const auto& extra : app.remaining()) gtest_args.push_back(extra);
  if (!case_ids.empty()) {
    std::string filter;
    for (const auto& id : case_ids) {
      const fc::fixtures::CaseMeta* found = nullptr;
      for (const auto& c : Catalogue::instance().all())
        if (c.id == id) found = &c;
      if (!found) {
        std::cerr << "fotacheck: no case has the id '" << id << "' (see --list)\n";
        return kConfigError;
      }
      filter += (filter.empty() ? "" : ":") + found->area + "." + found->name;
    }
    gtest_args.push_back("--gtest_filter=" + filter);
  }
  std::vector<char*> gtest_argv;
  for (auto& a : gtest_args) gtest_argv.push_back(a.data());
  int gtest_argc = static_cast<int>(gtest_argv.size());
  gtest_argv.push_back(nullptr);  // argv[argc]: GoogleTest moves it down as it removes its flags
  ::testing::InitGoogleTest(&gtest_argc, gtest_argv.data());

  // results.json is rewritten after every case (crash-safe); the other formats at the end.
  std::unique_ptr<fc::reports::LiveReports> live;
  int status = 0;
  try {
    fc::fixtures::RunContext::install(std::make_unique<fc::fixtures::RunContext>(*load.profile, reports_dir));
    auto& run = fc::fixtures::RunContext::current();
    run.set_device_args(device_args);
    live = std::make_unique<fc::reports::LiveReports>(
        reports_dir,
        fc::reports::make_run_info(*load.profile, profile_file, FOTACHECK_VERSION, run.endpoint(), run.server().uri(),
                                   run.server().address().authority()),
        std::cerr, fc::reports::ProgressReporter::stderr_is_terminal());
    run.add_sink(live.get());
    run.on_transfer_progress([&live](std::size_t done, std::size_t total, double rate) {
      live->progress().transfer(done, total, rate);
    });
    std::cerr << "fotacheck: reference server at " << run.server().uri() << ", starting the device '"
              << fc::reports::terminal_line(run.endpoint()) << "'\n";
    if (!run.start_device()) {
      std::cerr << "fotacheck: " << fc::reports::terminal_text(*run.diagnosis()) << "\nNo case was run.\n";
      status = kConfigError;
    } else {
      if (const auto* registration = run.server().registry().find_by_endpoint(run.endpoint()))
        live->set_device_read(fc::reports::device_read_json(*registration));
      int gtest_status = RUN_ALL_TESTS();
      status = live->must_failed() ? 1 : 0;
      if (gtest_status != 0 && status == 0) status = 0;  // only SHOULD/INFO cases failed
    }
  } catch (const std::exception& e) {
    std::cerr << "fotacheck: " << fc::reports::terminal_text(e.what()) << "\n";
    status = kConfigError;
  }
  fc::fixtures::RunContext::uninstall();
  if (!live) return status;
  live->finish();
  auto counts = fc::reports::verdict_counts(live->record());
  // The plain "N passed, N failed" shape CI log readers know, then the verdicts it folds in.
  std::cerr << fmt::format("fotacheck: {} passed, {} failed ({} pass, {} non-strict, {} info; {} skipped, {} not-tested, "
                           "{} inconclusive)\n",
                           counts["pass"] + counts["non-strict"] + counts["info"], counts["fail"], counts["pass"],
                           counts["non-strict"], counts["info"], counts["skipped"], counts["not-tested"],
                           counts["inconclusive"]);
  std::cout << "reports written to " << fs::absolute(reports_dir).string()
            << " (results.json, junit.xml, report.html, summary.md, pcap/)\n";
  return status;
}
