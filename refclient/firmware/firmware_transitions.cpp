// The /5 transitions of reference §3.1 that are not a direct answer to a request: download
// start, completion and failure, reset, install and the boot step after a restart.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "refclient/firmware/firmware_log.h"
#include "refclient/firmware/firmware_update_impl.h"
#include "refclient/firmware/mutants.h"
#include "refclient/firmware/package_uri.h"
#include "refclient/firmware/variants.h"

namespace fc::refclient {

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int change_order(std::uint16_t resource) {
  static constexpr std::uint16_t kOrder[] = {3, 12, 5, 1, 6, 7, 11, 13};
  const auto* at = std::find(std::begin(kOrder), std::end(kOrder), resource);
  return static_cast<int>(at - std::begin(kOrder));
}

package::Verification verify_slot_file(const std::filesystem::path& file, const package::VerifyKey& key) {
  try {
    return package::verify_file(file, key);
  } catch (const std::exception& e) {
    return package::Verification{package::Verdict::IntegrityFailure, e.what(), std::nullopt};
  }
}

}  // namespace

// ---- events ---------------------------------------------------------------------------

bool FirmwareUpdateObject::Impl::mutant(std::string_view name) const {
  return options.mutants.count(std::string(name)) != 0;
}

bool FirmwareUpdateObject::Impl::variant(std::string_view name) const {
  return options.variants.count(std::string(name)) != 0;
}

State FirmwareUpdateObject::Impl::visible(State state) const {
  return state == State::Updating && variant(variant::kNoUpdatingState) ? State::Downloaded : state;
}

void FirmwareUpdateObject::Impl::set_state(State to, std::string_view why) {
  if (to == s.state) return;
  firmware_log().info("state {} -> {} ({})", as_number(s.state), as_number(to), why);
  // A change nobody can see (into or out of a hidden State 3) is neither timed nor notified.
  const bool shown = visible(to) != visible(s.state);
  // Resource 12 is written before the State changes (reference §1.2).
  if (shown) s.last_state_change = unix_now();
  s.state = to;
  if (!shown) return;
  const bool silenced = mutant(mutant::kNoStateNotify) ||
                        (to == State::Downloading && mutant(mutant::kDownloadingNotNotified));
  if (!silenced) mark(3);
  if (is_v11()) mark(12);
}

void FirmwareUpdateObject::Impl::set_result(int to, std::string_view why) {
  if (to == s.result) return;
  firmware_log().info("result {} -> {} ({})", s.result, to, why);
  s.result = to;
  if (!mutant(mutant::kNoResultNotify)) mark(5);
}

void FirmwareUpdateObject::Impl::set_package_uri(std::string uri) {
  if (uri == s.package_uri) return;
  s.package_uri = std::move(uri);
  mark(1);
}

void FirmwareUpdateObject::Impl::set_package_info(std::string name, std::string version) {
  if (name != s.pkg_name) {
    s.pkg_name = std::move(name);
    mark(6);
  }
  if (version != s.pkg_version) {
    s.pkg_version = std::move(version);
    mark(7);
  }
}

void FirmwareUpdateObject::Impl::show_running_package() {
  if (s.active_slot) {
    set_package_info(std::string(kPackageName), s.active_pkg_version);
  } else {
    set_package_info("", "");
  }
}

void FirmwareUpdateObject::Impl::mark(std::uint16_t resource) { pending_changes.push_back(resource); }

void FirmwareUpdateObject::Impl::publish(bool notify) {
  try {
    if (saved != s) {
      save_persisted_state(state_file, s);
      saved = s;
    }
  } catch (const std::exception& e) {
    firmware_log().error("cannot persist the firmware state: {}", e.what());
  }
  auto changes = std::move(pending_changes);
  pending_changes.clear();
  std::stable_sort(changes.begin(), changes.end(),
                   [](std::uint16_t a, std::uint16_t b) { return change_order(a) < change_order(b); });
  changes.erase(std::unique(changes.begin(), changes.end()), changes.end());
  if (!notify || !changed) return;
  for (const auto resource : changes) changed(resource);
}

// ---- downloads ------------------------------------------------------------------------

void FirmwareUpdateObject::Impl::reset_result_for_download() {
  if (mutant(mutant::kResultNotResetOnDownload)) return;
  if ((mutant(mutant::kResultKeptAcrossDownload) || mutant(mutant::kResultResetAtDownloaded)) && s.result >= 2 &&
      s.result <= 9)
    return;
  set_result(0, "download started");
}

void FirmwareUpdateObject::Impl::begin_receiving(Transfer kind) {
  abort_transfer();
  receiver = std::make_unique<PackageReceiver>(slots.begin_write(download_slot()), key,
                                               ReceiveLimits{options.flash_size, options.ram_limit});
  transfer = kind;
  push_next_offset = 0;
  push_last_offset = 0;
}

void FirmwareUpdateObject::Impl::abort_transfer() noexcept {
  pull.reset();
  resume_at.reset();
  forget_resume_point();
  push_silent_until.reset();
  receiver.reset();
  transfer = Transfer::None;
  slots.erase(download_slot());
}

void FirmwareUpdateObject::Impl::reset_to_idle(std::string_view why) {
  abort_transfer();
  pull_requested = false;
  deferred_until.reset();
  set_package_uri("");
  set_state(State::Idle, why);
  set_result(0, why);
  show_running_package();
}

void FirmwareUpdateObject::Impl::fail_download(const DownloadFailure& failure) {
  const bool pulling = transfer == Transfer::Pull;
  abort_transfer();
  show_running_package();
  if (pulling && failure.result == UpdateResult::ConnectionLost &&
      mutant(mutant::kStuckDownloadingOnConnectionLoss)) {
    firmware_log().info("connection lost ({}); mutant {} stays in State 1", failure.reason,
                        mutant::kStuckDownloadingOnConnectionLoss);
    return;
  }
  int result = as_number(failure.result);
  if (failure.result == UpdateResult::NotEnoughFlash && mutant(mutant::kFlashFullAsUpdateFailed)) {
    result = as_number(UpdateResult::UpdateFailed);
  }
  if (failure.result == UpdateResult::OutOfRam && mutant(mutant::kOutOfRamAsFlashFull)) {
    result = as_number(UpdateResult::NotEnoughFlash);
  }
  set_state(State::Idle, failure.reason);
  set_result(result, failure.reason);
  if (mutant(mutant::kResultClearedSoonAfterFailure))
    forget_result_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
}

void FirmwareUpdateObject::Impl::complete_download() {
  const auto verification = receiver->finish();
  const auto bytes = receiver->bytes();
  const bool integrity_failed = verification.verdict == package::Verdict::IntegrityFailure;
  // integrity-at-update: the hash and signature are judged at Update (T11), not here.
  const bool checked_later = integrity_failed && variant(variant::kIntegrityAtUpdate);
  const bool accepted = verification.verdict == package::Verdict::Valid ||
                        (integrity_failed && (mutant(mutant::kNoIntegrityCheck) || checked_later));
  if (checked_later) {
    firmware_log().info("integrity left for Update ({}): {}", variant::kIntegrityAtUpdate, verification.reason);
  }
  if (!accepted) {
    fail_download(DownloadFailure{verification.verdict == package::Verdict::UnsupportedType
                                      ? UpdateResult::UnsupportedPackageType
                                      : UpdateResult::IntegrityFailure,
                                  verification.reason});
    return;
  }
  try {
    receiver->commit();
  } catch (const std::exception& e) {
    fail_download(DownloadFailure{UpdateResult::NotEnoughFlash, e.what()});
    return;
  }
  receiver.reset();
  pull.reset();
  push_silent_until.reset();
  forget_resume_point();
  transfer = Transfer::None;
  s.boot_attempts = 0;
  set_state(State::Downloaded, fmt::format("download complete, {} bytes", bytes));
  set_package_info(std::string(kPackageName), verification.header ? verification.header->version : "unknown");
  if (mutant(mutant::kVersionAtDownloaded) && verification.header) s.running_version = verification.header->version;
  if (mutant(mutant::kSuccessAtDownloaded))
    set_result(as_number(UpdateResult::Success), "mutant success-at-downloaded");
  else if (mutant(mutant::kResultResetAtDownloaded))
    set_result(0, "mutant result-reset-at-downloaded: Result 0 only once Downloaded");
}

std::optional<DownloadFailure> FirmwareUpdateObject::Impl::unsupported_scheme(const std::string& uri) const {
  const auto scheme = uri_scheme(uri);
  if (!scheme) return std::nullopt;  // no scheme: an invalid URI, found by the parser
  const auto protocol = protocol_for_scheme(*scheme);
  // The mutant claims all six and pulls over coap (0) and http (2) only.
  const bool claimed = protocol && (mutant(mutant::kClaimsUnservedProtocols) ? (*protocol == 0 || *protocol == 2)
                                                                             : options.protocols.count(*protocol) != 0);
  const bool implemented =
      protocol && std::find(std::begin(kImplementedProtocols), std::end(kImplementedProtocols), *protocol) !=
                      std::end(kImplementedProtocols);
  if (claimed && implemented) return std::nullopt;
  std::string why = !protocol  ? fmt::format("scheme \"{}\" is not a firmware update protocol", *scheme)
                    : !claimed ? fmt::format("scheme \"{}\" (protocol {}) is not claimed in /5/0/8", *scheme, *protocol)
                               : fmt::format("scheme \"{}\" (protocol {}) is claimed but not implemented yet",
                                             *scheme, *protocol);
  const auto result = mutant(mutant::kUnsupportedProtocolAsInvalidUri) ? UpdateResult::InvalidUri
                                                                        : UpdateResult::UnsupportedProtocol;
  return DownloadFailure{result, std::move(why)};
}

void FirmwareUpdateObject::Impl::start_requested_pull() {
  pull_requested = false;
  const std::string& uri = s.package_uri;
  if (const auto unsupported = unsupported_scheme(uri)) {
    // Spec-literal: the Write was answered 2.04; the verdict arrives as Result 9, State stays 0.
    set_result(as_number(unsupported->result), unsupported->reason);
    return;
  }
  begin_receiving(Transfer::Pull);
  resume_attempts = 0;
  set_state(State::Downloading, fmt::format("pull of {}", uri));
  reset_result_for_download();
  auto parsed = parse_package_uri(uri);
  if (auto* why = std::get_if<std::string>(&parsed)) {
    // Reported from the next poll() so State 1 is visible first (ETS 778).
    pull = failed_pull(
        DownloadFailure{UpdateResult::InvalidUri, fmt::format("invalid URI \"{}\": {}", uri, *why)});
    return;
  }
  auto timing = transfer_timing();
  timing.unbounded_http_read = mutant(mutant::kHttpStallWaitsForever);
  timing.unbounded_separate_response = mutant(mutant::kSeparateResponseWaitsForever);
  pull = start_pull(std::get<PackageUri>(parsed), *receiver, timing, options.repository_security);
}

void FirmwareUpdateObject::Impl::finish_pull() {
  auto outcome = pull->outcome();
  if (!outcome) return;
  if (resume_after_failure(*outcome)) return;
  if (outcome->failure) {
    auto failure = *outcome->failure;
    // As a client that maps every HTTP error status to one "transfer failed" code.
    const auto scheme = uri_scheme(s.package_uri);
    if (mutant(mutant::kHttpErrorsAsConnectionLost) && failure.result == UpdateResult::InvalidUri &&
        (scheme == "http" || scheme == "https"))
      failure.result = UpdateResult::ConnectionLost;
    if (mutant(mutant::kHttp5xxStaysDownloading) && failure.http_status >= 500) {
      abort_transfer();
      firmware_log().info("{}; mutant {} stays in State 1", failure.reason, mutant::kHttp5xxStaysDownloading);
      return;
    }
    fail_download(failure);
  } else {
    complete_download();
  }
}

void FirmwareUpdateObject::Impl::expect_next_push_block() {
  // abandoned-push-kept: no deadline, the open push waits for its next block for ever.
  if (mutant(mutant::kAbandonedPushKept)) return;
  push_silent_until = std::chrono::steady_clock::now() + transfer_timing().max_transmit_wait();
}

void FirmwareUpdateObject::Impl::check_push_silence(std::chrono::steady_clock::time_point now) {
  if (transfer != Transfer::Push || !push_silent_until || now < *push_silent_until) return;
  fail_download(DownloadFailure{
      UpdateResult::ConnectionLost,
      fmt::format("push abandoned: no Block1 at offset {} within {} ms", push_next_offset,
                  transfer_timing().max_transmit_wait().count())});
  publish();
}

// ---- update and boot ------------------------------------------------------------------

bool FirmwareUpdateObject::Impl::user_defers() const {
  // Object 1.1 resource 13: 0 means deferral is not allowed; once the period has run out the
  // device installs without asking (T14), so a deferral already granted is not granted again.
  return options.defer_update && is_v11() && s.state == State::Downloaded && s.max_defer_period > 0 &&
         !(deferred_until && std::chrono::steady_clock::now() >= *deferred_until);
}

void FirmwareUpdateObject::Impl::start_update(std::string_view why) {
  deferred_until.reset();
  if (s.state == State::Downloaded) s.pending_slot = download_slot();
  set_state(State::Updating, why);
  set_result(0, "update started");
  // Verified and booted from poll(), after the 2.04 is out and --install-time has passed.
  install_requested = true;
  install_at = std::chrono::steady_clock::now() + options.install_time;
}

void FirmwareUpdateObject::Impl::install() {
  if (!s.pending_slot) {
    set_state(State::Idle, "nothing downloaded to install");
    set_result(as_number(UpdateResult::UpdateFailed), "nothing downloaded to install");
    return;
  }
  const auto slot = *s.pending_slot;
  const auto verification = verify_slot_file(slots.file(slot), key);
  if (verification.verdict != package::Verdict::Valid && !mutant(mutant::kNoIntegrityCheck)) {
    s.pending_slot.reset();
    slots.erase(slot);
    set_state(State::Idle, fmt::format("package in slot {} does not verify", slot_name(slot)));
    set_result(as_number(UpdateResult::IntegrityFailure), verification.reason);
    show_running_package();
    return;
  }
  if (mutant(mutant::kInstallWithoutRestart)) {
    firmware_log().info("mutant {}: booting slot {} in place, no restart", mutant::kInstallWithoutRestart,
                        slot_name(slot));
    boot_pending_slot();
    publish();
    return;
  }
  if (mutant(mutant::kResultSuccessWhileUpdating))
    set_result(as_number(UpdateResult::Success), "mutant result-success-while-updating: before the restart");
  firmware_log().info("slot {} marked for the next boot; restarting", slot_name(slot));
  publish();
  if (restart) {
    restart();
  } else {
    firmware_log().warn("no restart handler: staying in Updating until the next start");
  }
}

void FirmwareUpdateObject::Impl::boot() {
  // A pull cut by the restart continues (--resume-downloads) when its resume point is kept.
  if (resume_pending_after_boot()) {
    firmware_log().info("restarted during download: continuing {} from the bytes held", s.package_uri);
    transfer = Transfer::Pull;
    return;
  }
  // Stray partial downloads never survive a restart.
  for (const auto slot : {Slot::A, Slot::B}) {
    std::error_code ec;
    std::filesystem::remove(slots.partial_file(slot), ec);
  }
  switch (s.state) {
    case State::Idle:
      if (mutant(mutant::kResultClearedAtBoot) && s.result != 0) {
        set_package_uri("");
        set_result(0, fmt::format("mutant {}", mutant::kResultClearedAtBoot));
      }
      break;
    case State::Downloading:
      // A transfer cut by a restart is not resumed: it ends as a lost connection.
      slots.erase(download_slot());
      set_state(State::Idle, "restarted during download");
      set_result(as_number(UpdateResult::ConnectionLost), "restarted during download");
      show_running_package();
      break;
    case State::Downloaded:
      if (mutant(mutant::kForgetDownloadedOnRestart)) {
        slots.erase(download_slot());
        set_package_uri("");
        set_state(State::Idle, "mutant forget-downloaded-on-restart");
        set_result(0, "mutant forget-downloaded-on-restart");
        show_running_package();
      } else if (!slots.has_image(download_slot())) {
        set_state(State::Idle, "downloaded package missing after restart");
        set_result(as_number(UpdateResult::IntegrityFailure), "downloaded package missing after restart");
        show_running_package();
      }
      break;
    case State::Updating:
      if (mutant(mutant::kStuckUpdatingAfterRestart)) break;
      if (variant(variant::kDecideAfterRestart)) {
        // The outcome is decided once the device is back online (registered()).
        decide_after_registration = true;
        firmware_log().info("restarted in Updating: the outcome is decided after the next Register ({})",
                            variant::kDecideAfterRestart);
        break;
      }
      boot_pending_slot();
      break;
  }
  if (mutant(mutant::kStartsDownloading)) set_state(State::Downloading, "mutant starts-downloading");
}

void FirmwareUpdateObject::Impl::boot_pending_slot() {
  if (!s.pending_slot) {
    set_state(State::Idle, "restarted in Updating with nothing to boot");
    set_result(as_number(UpdateResult::UpdateFailed), "restarted in Updating with nothing to boot");
    return;
  }
  const auto slot = *s.pending_slot;
  s.pending_slot.reset();
  const auto verification = verify_slot_file(slots.file(slot), key);
  if (verification.verdict != package::Verdict::Valid && !mutant(mutant::kNoIntegrityCheck)) {
    slots.erase(slot);
    set_state(State::Idle, fmt::format("slot {} does not verify at boot", slot_name(slot)));
    set_result(as_number(UpdateResult::IntegrityFailure), verification.reason);
    show_running_package();
    return;
  }
  ++s.boot_attempts;
  const auto& header = verification.header;
  const std::string version = header ? header->version : "unknown";
  if (header && header->fails_first_boot() && s.boot_attempts == 1) {
    const std::string why = fmt::format(
        "image {} in slot {} failed its first boot; rolled back to {}", version, slot_name(slot),
        s.running_version.empty() ? options.factory_version : s.running_version);
    if (mutant(mutant::kRollbackAsSuccess)) {
      slots.erase(slot);
      set_state(State::Idle, why);
      set_result(as_number(UpdateResult::Success), why);
      show_running_package();
    } else if (mutant(mutant::kResult8StaysUpdating)) {
      set_result(as_number(UpdateResult::UpdateFailed), why);
    } else {
      // ETS 779: the package is still downloaded, so State 2 with Result 8.
      set_state(State::Downloaded, why);
      set_result(as_number(UpdateResult::UpdateFailed), why);
    }
    return;
  }
  // As a bootloader that keeps the slot of the first update: later installs never boot.
  if (mutant(mutant::kSuccessWithOldImage) && s.active_slot) {
    slots.erase(slot);
    s.boot_attempts = 0;
    set_state(State::Idle, fmt::format("mutant {}: image {} never booted", mutant::kSuccessWithOldImage, version));
    set_result(as_number(UpdateResult::Success), "mutant success-with-old-image");
    show_running_package();
    return;
  }
  s.active_slot = slot;
  s.active_pkg_version = version;
  s.boot_attempts = 0;
  if (!mutant(mutant::kFirmwareVersionNotUpdated)) s.running_version = version;
  set_state(State::Idle, fmt::format("booted {} from slot {}", version, slot_name(slot)));
  set_result(as_number(UpdateResult::Success), fmt::format("firmware updated to {}", version));
  show_running_package();
}

}  // namespace fc::refclient
