// The `fotacheck` runner: GoogleTest's main with the suite's own options around it.
//
//   fotacheck [--profile FILE] [--reports DIR] [--case ID-OR-PATTERN]... [--gtest_filter=...]
//             [--devices N | --shard K/N] [--durations RESULTS.json] [--lab-device NAME]
//             [--link nbiot|ltem]
//   fotacheck --all-profiles [--reports DIR] [--case ...]
//   fotacheck --list [--format plain|json|markdown] [--case ...] | --catalogue-markdown | --version
//   fotacheck validate PROFILE
//   fotacheck report RESULTS.json [MORE.json...] [--out DIR] [--report-url URL]
//   fotacheck report --merge SHARD.json SHARD.json... [--out DIR]
//   fotacheck bundle RUN_DIR [--key PRIVATE.pem] [--out FILE]
//   fotacheck verify BUNDLE --key PUBLIC.pem
//
// Exit statuses: suite/runner/exit_status.h.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "suite/common/data_location.h"
#include "suite/record/case_meta.h"
#include "reports/evidence_bundle.h"
#include "reports/report_set.h"
#include "suite/profile/loader.h"
#include "suite/profile/names.h"
#include "suite/profile/validate.h"
#include "runner/all_profiles.h"
#include "runner/case_selection.h"
#include "runner/catalogue_output.h"
#include "runner/device_run.h"
#include "runner/dtls_capture_policy.h"
#include "runner/exit_status.h"
#include "runner/parallel_devices.h"
#include "runner/shard_plan.h"

namespace {

namespace fs = std::filesystem;
using fc::record::Catalogue;
using fc::runner::kEnvironmentError;

fs::path default_reports_dir() {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return fs::path("fotacheck-reports") / stamp;
}

// Only GoogleTest's own options pass through; anything else is a mistake to report, not to
// ignore (`--report-dir X` once ran the whole suite into the default folder).
bool refuse_unknown(const std::vector<std::string>& extras, const char* where) {
  for (const auto& extra : extras) {
    if (extra.rfind("--gtest_", 0) == 0) continue;
    if (extra.rfind("-", 0) == 0)
      std::cerr << "fotacheck" << where << ": unknown option '" << extra << "' (see --help; GoogleTest's options start with --gtest_)\n";
    else
      std::cerr << "fotacheck" << where << ": unexpected argument '" << extra
                << "' (see --help; write GoogleTest's options as --gtest_name=value)\n";
    return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  fc::runner::apply_decryptable_dtls_policy(argv);
  CLI::App app{
      "fotacheck: conformance and interop suite for the LwM2M Firmware Update object (/5).\n"
      "Plays the reference LwM2M server and firmware repository, drives the device the profile\n"
      "describes through the cases, and writes JUnit XML and JSON results to the report folder.\n"
      "GoogleTest's own options (--gtest_filter=..., --gtest_repeat=N, ...) pass through; any other\n"
      "unknown option is refused.\n" +
      fc::runner::exit_status_help()};
  app.allow_extras();  // checked below: only --gtest_* may remain
  app.set_version_flag("--version", std::string("fotacheck ") + FOTACHECK_VERSION, "print the suite version and exit");
  fs::path profile_file;  // default: the bundled reference client, found in the data folder below
  fs::path reports_dir;
  bool list = false;
  bool verbose = false;
  fc::runner::RunOptions options;
  auto* profile_option = app.add_option("--profile,-p", profile_file,
                 "device profile (YAML); default: the bundled reference client, "
                 "adapters/profiles/refclient.yaml in fotacheck's data folder (<prefix>/share/fotacheck)");
  app.add_option("--reports,-r", reports_dir,
                 "report folder (default: fotacheck-reports/<date-time>); fotacheck only adds its own files to it");
  app.add_option("--device-arg", options.device_args,
                 "one more argument for the device process, repeatable; write options with '=': "
                 "--device-arg=--mutant --device-arg=update-in-idle")
      ->allow_extra_args(false);
  app.add_flag("--keep-device-state", options.keep_device_state,
               "keep the device's scratch folder ({workdir}, a fresh fotacheck-device-XXXXXX under $TMPDIR or /tmp) "
               "after the run and print where it is; by default it is removed");
  std::vector<std::string> case_ids;
  app.add_option("--case,-c", case_ids,
                 "run (or with --list, list) only the cases with this id, repeatable; * and ? are wildcards: "
                 "--case FU-RES-776-PULL --case 'FU-PUSH-*'");
  app.add_flag("--list", list, "list every case with its id, level, ETS case and requirement, then exit");
  std::string list_format = "plain";
  auto* format_option = app.add_option("--format", list_format, "with --list: plain, json or markdown")->capture_default_str();
  bool all_profiles = false;
  app.add_flag(
      "--all-profiles", all_profiles,
      "run every shipped reference-client profile (plain, PSK, RPK, X.509, TCP, TLS, object 1.1 and the "
      "default) into REPORTS/<profile>/ and compare them in REPORTS/comparison.html and comparison.md");
  bool catalogue_markdown = false;
  app.add_flag("--catalogue-markdown", catalogue_markdown,
               "print the case catalogue (docs/catalogue.md) as Markdown, grouped by area, then exit");
  app.add_flag("--verbose,-v", verbose, "log every registration and exchange on stderr, with GoogleTest's own lines and each failing case's timeline and message trace");
  app.add_option("--report-url", options.report_url,
                 "the report folder's published address (a CI artifact URL): summary.md then links report.html "
                 "absolutely, so the link works in a pull-request comment");
  unsigned devices = 1;
  app.add_option("--devices", devices,
                 "run N instances of the profile's process device side by side, the cases spread over them "
                 "balanced by their recorded durations (--durations); one report, each case naming its device")
      ->check(CLI::Range(1u, 64u));
  std::string shard_text;
  app.add_option("--shard", shard_text,
                 "run only part K of N of the selected cases (a CI job of a matrix), balanced by recorded durations "
                 "and the same split for the same inputs; join the parts with fotacheck report --merge");
  fs::path durations_file;
  app.add_option("--durations", durations_file,
                 "results.json (or its folder) of an earlier run: how long each case took, to balance --devices and "
                 "--shard (default: REPORTS/results.json when the report folder holds one; else every case counts "
                 "the same)");
  std::string lab_device;
  app.add_option("--lab-device", lab_device,
                 "with a profile that lists its lab devices (devices:): run on this one only; without it, the cases are "
                 "spread over all of them, side by side, as with --devices");
  std::string link_preset;
  app.add_option("--link", link_preset,
                 "for this run, the profile's timing.link.preset: nbiot or ltem (a lossy radio-like link on coap:// "
                 "downloads), or none; the profile's own timing.link keys still override the preset's figures");
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
  bool merge = false;
  report->add_flag("--merge", merge,
                   "join shards of one run (--shard K/N, one device type and profile) into one results.json and its "
                   "reports in --out (default: .), each case naming its device");
  std::string report_url;
  report->add_option("--report-url", report_url, "the output folder's published address: summary.md links it absolutely");
  fc::reports::BundleOptions bundle_options;
  bundle_options.suite_version = FOTACHECK_VERSION;
  auto* bundle = app.add_subcommand(
      "bundle", "pack a run folder into one signed evidence archive (results, reports, pcaps, redacted profile, identity)");
  bundle->add_option("run_dir", bundle_options.run_dir, "the run's report folder (holds results.json)")->required();
  bundle->add_option("--key,-k", bundle_options.private_key, "ECDSA P-256 private key (PEM) that signs the MANIFEST");
  bundle->add_option("--out,-o", bundle_options.out, "the archive to write (default: RUN_DIR/evidence.tar; never overwritten)");
  fs::path verify_bundle_file;
  fs::path verify_key;
  auto* verify = app.add_subcommand(
      "verify", "check an evidence bundle's signature with a public key you trust, then every file's SHA-256; "
                "exit 0 valid, 1 invalid (what is named), 2 usage or I/O error");
  verify->add_option("bundle", verify_bundle_file, "the evidence archive")->required();
  verify->add_option("--key,-k", verify_key, "the signer's public key (PEM), obtained apart from the bundle")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kEnvironmentError;
  }
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  std::error_code ec_ignored;

  if (*validate) {
    if (refuse_unknown(app.remaining(), " validate")) return kEnvironmentError;
    return fc::profile::run_validate(validate_file, std::cout);
  }
  if (*report) {
    std::vector<fs::path> inputs{report_first};
    for (const auto& more : report->remaining()) {
      if (more.rfind("-", 0) == 0) {
        std::cerr << "fotacheck report: unknown option '" << more << "' (see fotacheck report --help)\n";
        return kEnvironmentError;
      }
      inputs.emplace_back(more);
    }
    if (refuse_unknown(app.remaining(false), " report")) return kEnvironmentError;
    return fc::reports::run_report_command(inputs, report_out, std::cout, std::cerr, report_url, merge);
  }
  if (*bundle) {
    if (refuse_unknown(app.remaining(), " bundle")) return kEnvironmentError;
    return fc::reports::run_bundle_command(bundle_options, std::cout, std::cerr);
  }
  if (*verify) {
    if (refuse_unknown(app.remaining(), " verify")) return kEnvironmentError;
    return fc::reports::run_verify_command(verify_bundle_file, verify_key, std::cout, std::cerr);
  }
  if (refuse_unknown(app.remaining(), "")) return kEnvironmentError;
  // The selection is checked before anything starts: a mistyped id is a configuration error.
  const auto& catalogue = Catalogue::instance().all();
  auto selection = fc::runner::select_cases(case_ids, catalogue);
  if (!selection.problems.empty()) {
    for (const auto& problem : selection.problems) std::cerr << "fotacheck: " << problem << "\n";
    return kEnvironmentError;
  }
  bool gtest_filter = false;
  for (const auto& extra : app.remaining()) gtest_filter = gtest_filter || extra.rfind("--gtest_filter", 0) == 0;
  if (gtest_filter && !case_ids.empty()) {
    std::cerr << "fotacheck: --case and --gtest_filter both select cases; give one of them\n";
    return kEnvironmentError;
  }
  if (format_option->count() > 0 && !list) {
    std::cerr << "fotacheck: --format applies to --list only\n";
    return kEnvironmentError;
  }
  if (list) {
    auto format = fc::runner::list_format_named(list_format);
    if (!format) {
      std::cerr << "fotacheck: --format: expected one of " << fc::runner::kListFormatNames << ", got '" << list_format
                << "'\n";
      return kEnvironmentError;
    }
    std::vector<const fc::record::CaseMeta*> listed = selection.cases;
    if (case_ids.empty())
      for (const auto& c : catalogue) listed.push_back(&c);
    fc::runner::list_cases(std::cout, listed, *format);
    return 0;
  }
  if (catalogue_markdown) {
    fc::runner::print_catalogue_markdown(std::cout);
    return 0;
  }

  if (profile_file.empty()) {
    try {
      profile_file = fc::common::data_file("adapters/profiles/refclient.yaml");
    } catch (const std::exception& e) {
      std::cerr << "fotacheck: no --profile given, and " << e.what() << "\n";
      return kEnvironmentError;
    }
  }

  if (all_profiles) {
    if (profile_option->count() > 0 || !lab_device.empty()) {
      std::cerr << "fotacheck: --all-profiles runs the shipped reference-client profiles; it takes no --profile or "
                   "--lab-device\n";
      return kEnvironmentError;
    }
    fc::runner::AllProfilesRun request;
    request.self = fs::read_symlink("/proc/self/exe", ec_ignored);
    if (request.self.empty()) request.self = argv[0];
    request.profiles = fc::runner::reference_client_profiles(profile_file.parent_path());
    request.reports_dir = reports_dir.empty() ? default_reports_dir() : reports_dir;
    for (const auto& id : case_ids) request.run_args.insert(request.run_args.end(), {"--case", id});
    for (const auto& arg : options.device_args) request.run_args.push_back("--device-arg=" + arg);
    if (options.keep_device_state) request.run_args.push_back("--keep-device-state");
    if (verbose) request.run_args.push_back("--verbose");
    if (devices > 1) request.run_args.insert(request.run_args.end(), {"--devices", std::to_string(devices)});
    if (!shard_text.empty()) request.run_args.insert(request.run_args.end(), {"--shard", shard_text});
    if (!durations_file.empty()) request.run_args.insert(request.run_args.end(), {"--durations", durations_file.string()});
    if (!link_preset.empty()) request.run_args.insert(request.run_args.end(), {"--link", link_preset});
    for (const auto& extra : app.remaining()) request.run_args.push_back(extra);
    return fc::runner::run_all_profiles(request, std::cout, std::cerr);
  }

  // The files the profile names are checked now: a missing key is a configuration error (2).
  if (!link_preset.empty() && !fc::profile::parse_choice<fc::profile::LinkPreset>(link_preset)) {
    std::cerr << "fotacheck: --link: expected one of "
              << fc::profile::list_names(fc::profile::choices<fc::profile::LinkPreset>()) << ", got '" << link_preset
              << "'\n";
    return kEnvironmentError;
  }
  auto load_options = fc::profile::run_options();
  load_options.lab_device = lab_device;
  load_options.link_preset = link_preset;
  auto load = fc::profile::load_profile(profile_file, load_options);
  if (!load.ok()) {
    for (const auto& p : load.problems) std::cerr << p.str() << "\n";
    std::cerr << "fotacheck: the profile has " << load.problems.size() << " problem(s); nothing was run\n";
    return kEnvironmentError;
  }
  if (auto problem = fc::reports::report_url_problem(options.report_url); !problem.empty()) {
    std::cerr << "fotacheck: " << problem << "\n";
    return kEnvironmentError;
  }
  if (reports_dir.empty()) reports_dir = default_reports_dir();

  // --shard, --devices and a lab's devices: the selection split by recorded durations
  // (runner/shard_plan.h); a lab spreads its shard (or all) over its devices.
  const std::size_t lab_devices = lab_device.empty() ? load.lab_devices.size() : 0;
  const bool lab = lab_devices > 1;
  std::vector<const fc::record::CaseMeta*> shard_cases;
  std::vector<std::vector<const fc::record::CaseMeta*>> parts;
  std::optional<fc::runner::ShardSpec> shard;
  if (!shard_text.empty() || devices > 1 || lab) {
    std::string problem;
    if (!shard_text.empty() && devices > 1) problem = "--devices N runs its own shards; give --shard or --devices, not both";
    else if (gtest_filter)
      problem = lab ? "a lab's devices split the cases --case selects; give --case, not --gtest_filter"
                    : "--shard and --devices split the cases --case selects; they take no --gtest_filter";
    else if (!shard_text.empty() && !(shard = fc::runner::parse_shard(shard_text, problem))) {
    } else if (devices > 1) problem = fc::runner::parallel_devices_problem(*load.profile, devices);
    if (!problem.empty()) {
      std::cerr << "fotacheck: " << problem << "\n";
      return kEnvironmentError;
    }
    fc::runner::RecordedDurations durations;
    try {
      if (!durations_file.empty()) durations = fc::runner::read_recorded_durations(durations_file);
      else if (fs::is_regular_file(reports_dir / fc::reports::kResultsFile))
        durations = fc::runner::read_recorded_durations(reports_dir / fc::reports::kResultsFile);
    } catch (const std::exception& e) {
      if (!durations_file.empty()) {
        std::cerr << "fotacheck: " << e.what() << "\n";
        return kEnvironmentError;
      }
      std::cerr << "fotacheck: the cases count the same: " << e.what() << "\n";
    }
    std::vector<const fc::record::CaseMeta*> selected = selection.cases;
    if (case_ids.empty())
      for (const auto& c : catalogue) selected.push_back(&c);
    parts = fc::runner::balance_cases(selected, durations, shard ? shard->count : devices);
    if (shard) {
      shard_cases = parts[shard->index - 1];
      if (shard_cases.empty()) {
        std::cerr << "fotacheck: shard " << shard_text << " has no case: the selection has only " << selected.size()
                  << " case(s) for " << shard->count << " shards\n";
        return kEnvironmentError;
      }
    }
    if (lab) parts = fc::runner::balance_cases(shard ? shard_cases : selected, durations, static_cast<unsigned>(lab_devices));
  }
  std::error_code ec;
  fs::create_directories(reports_dir, ec);
  if (ec) {
    std::cerr << "fotacheck: cannot create the report folder " << reports_dir << ": " << ec.message() << "\n";
    return kEnvironmentError;
  }
  if (devices > 1 || lab) {
    fc::runner::ParallelDevicesRun request;
    request.self = fs::read_symlink("/proc/self/exe", ec_ignored);
    if (request.self.empty()) request.self = argv[0];
    // Each device's runner gets its cases by id: the split is made once, here.
    std::vector<std::vector<std::string>> ids;
    for (const auto& part : parts) {
      ids.emplace_back();
      for (const auto* c : part) ids.back().push_back(c->id);
    }
    std::vector<std::string> names;
    if (lab)
      for (const auto& d : load.lab_devices) names.push_back(d.lab_device);
    request.devices = fc::runner::device_slots(ids, names);
    request.reports_dir = reports_dir;
    request.report_url = options.report_url;
    request.run_args = {"--profile", profile_file.string()};
    if (!link_preset.empty()) request.run_args.insert(request.run_args.end(), {"--link", link_preset});
    for (const auto& arg : options.device_args) request.run_args.push_back("--device-arg=" + arg);
    if (options.keep_device_state) request.run_args.push_back("--keep-device-state");
    if (verbose) request.run_args.push_back("--verbose");
    for (const auto& extra : app.remaining()) request.run_args.push_back(extra);
    return fc::runner::run_parallel_devices(request, std::cout, std::cerr);
  }

  // GoogleTest gets the --gtest_ options; JUnit XML comes from the reports (from results.json).
  std::vector<std::string> gtest_args{argc > 0 && argv[0] ? argv[0] : "fotacheck"};
  for (const auto& extra : app.remaining()) {
    gtest_args.push_back(extra);
    options.selection += (options.selection.empty() ? "" : " ") + extra;
  }
  if (shard) {
    fc::runner::CaseSelection part;
    part.cases = shard_cases;
    gtest_args.push_back("--gtest_filter=" + part.gtest_filter());
    options.selection += (options.selection.empty() ? "" : " ") + ("--shard " + shard_text);
  }
  if (!case_ids.empty()) {
    if (!shard) gtest_args.push_back("--gtest_filter=" + selection.gtest_filter());
    std::string patterns;
    for (const auto& id : case_ids) patterns += " --case " + id;
    options.selection += (options.selection.empty() ? "" : " ") + patterns.substr(1);
  }
  if (options.selection.empty()) options.selection = "every case";
  std::vector<char*> gtest_argv;
  for (auto& a : gtest_args) gtest_argv.push_back(a.data());
  int gtest_argc = static_cast<int>(gtest_argv.size());
  gtest_argv.push_back(nullptr);  // argv[argc]: GoogleTest moves it down as it removes its flags
  ::testing::InitGoogleTest(&gtest_argc, gtest_argv.data());

  options.profile_file = profile_file;
  options.googletest_printer = verbose;
  options.reports_dir = reports_dir;
  return fc::runner::run_device(*load.profile, options);
}
