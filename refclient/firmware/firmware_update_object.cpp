// FirmwareUpdateObject: what each /5 request does in each State (reference §3.1-§3.4), and the
// construction that loads the persisted state and runs the boot step.
#include "refclient/firmware/firmware_update_object.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "refclient/firmware/firmware_log.h"
#include "refclient/firmware/firmware_update_impl.h"
#include "refclient/firmware/mutants.h"
#include "refclient/firmware/package_uri.h"
#include "refclient/firmware/variants.h"

namespace fc::refclient {

namespace {

// /5/0/0 bytes shown by the read-package-content mutant.
constexpr std::size_t kPackageReadLimit = 1024;
constexpr int kNothingTimedMs = 60'000;
// --variant decide-after-restart: how long after its Register the device decides the outcome.
constexpr std::chrono::seconds kDecideAfterRegistration{1};

CoapAnswer bad_request(std::string why) { return CoapAnswer::error(4, 0, std::move(why)); }
CoapAnswer not_allowed(std::string why) { return CoapAnswer::error(4, 5, std::move(why)); }
CoapAnswer not_found(std::string why) { return CoapAnswer::error(4, 4, std::move(why)); }
CoapAnswer unavailable(std::string why) { return CoapAnswer::error(5, 3, std::move(why)); }

package::VerifyKey load_key(const std::filesystem::path& file) {
  if (file.empty()) throw std::runtime_error("no package verification key configured (options.verify_key)");
  return package::VerifyKey::load_pem_file(file);
}

lwm2m::Record record(std::uint16_t resource, lwm2m::Value value) {
  return lwm2m::Record{lwm2m::Path{5, 0, resource}, std::move(value)};
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

FirmwareUpdateObject::Impl::Impl(FirmwareOptions opts, ChangeListener listener,
                                 RestartRequest restart_request)
    : options(std::move(opts)),
      changed(std::move(listener)),
      restart(std::move(restart_request)),
      key(load_key(options.verify_key)),
      slots(options.state_dir),
      state_file(options.state_dir / kStateFileName) {
  if (options.object_version != "1.0" && options.object_version != "1.1") {
    throw std::invalid_argument(
        fmt::format("object version \"{}\" for /5: expected 1.0 or 1.1", options.object_version));
  }
  if (options.delivery < 0 || options.delivery > 2) {
    throw std::invalid_argument(
        fmt::format("delivery method {} for /5/0/9: expected 0, 1 or 2", options.delivery));
  }
  std::optional<PersistedState> loaded;
  try {
    loaded = load_persisted_state(state_file);
  } catch (const std::exception& e) {
    // A torn or foreign state file must not keep the device from starting: keep it aside.
    firmware_log().error("ignoring unreadable firmware state ({}); starting from the factory state",
                         e.what());
    std::error_code ec;
    std::filesystem::rename(state_file, std::filesystem::path(state_file) += ".corrupt", ec);
  }
  if (loaded) {
    s = *loaded;
  } else {
    s.last_state_change = unix_now();
  }
  boot();
  publish(/*notify=*/false);  // nothing is observed before the client registers
}

FirmwareUpdateObject::Impl::~Impl() {
  // A stop (SIGTERM) in the middle of a pull that can be resumed keeps the bytes held, as a
  // device keeps its partial image across a power cycle: the next start continues from them.
  const bool resumable = resume_point.has_value() && s.state == State::Downloading;
  pull.reset();
  if (receiver && resumable) receiver->keep_partial();
  receiver.reset();
}

// ---- requests -------------------------------------------------------------------------

CoapAnswer FirmwareUpdateObject::Impl::write_package_uri(const lwm2m::Value& value) {
  std::string uri;
  try {
    uri = value.as_string();
  } catch (const std::exception& e) {
    return bad_request(fmt::format("Package URI: {}", e.what()));
  }
  if (uri.size() > 255) return bad_request(fmt::format("Package URI of {} bytes exceeds 255", uri.size()));
  if (uri.size() > 128 && mutant(mutant::kShortUriBuffer))
    return bad_request(fmt::format("mutant short-uri-buffer: Package URI of {} bytes exceeds 128", uri.size()));

  if (uri.empty()) {
    switch (s.state) {
      case State::Updating:
        return not_allowed("reset not possible while Updating");
      case State::Idle:
        // T16: a reset in Idle clears a stale Result.
        pull_requested = false;
        set_package_uri("");
        if (!mutant(mutant::kResetKeepsResultInIdle)) set_result(0, "reset by empty Package URI");
        publish();
        return CoapAnswer::changed();
      case State::Downloaded:
        if (mutant(mutant::kEmptyUriIgnoredInDownloaded)) return CoapAnswer::changed();
        reset_to_idle("reset by empty Package URI");
        publish();
        return CoapAnswer::changed();
      case State::Downloading:
        if (mutant(mutant::kResetIgnoredInDownloading)) return CoapAnswer::changed();
        reset_to_idle("reset by empty Package URI");
        publish();
        return CoapAnswer::changed();
    }
  }
  if (options.delivery == 1) return not_allowed("pull is not offered (/5/0/9 = 1)");
  switch (s.state) {
    case State::Idle:
      if (variant(variant::kBadUri400)) {
        if (auto refusal = refused_uri(uri)) {
          // Anjay's way (§3.7 item 6): the Write fails and the verdict is in Update Result too.
          set_result(as_number(refusal->result), refusal->reason);
          publish();
          return bad_request(refusal->reason);
        }
      }
      set_package_uri(std::move(uri));
      pull_requested = true;  // started from poll(), after the 2.04 is out
      publish();
      return CoapAnswer::changed();
    case State::Downloading:
    case State::Downloaded:
      if (mutant(mutant::kUriAcceptedWhileBusy)) return CoapAnswer::changed();
      if (s.state == State::Downloading && mutant(mutant::kRefusedUriAbortsDownload)) {
        reset_to_idle(fmt::format("mutant {}: the running download stopped", mutant::kRefusedUriAbortsDownload));
        publish();
      }
      return bad_request(fmt::format("State is {}: reset with an empty Package URI first", as_number(s.state)));
    case State::Updating:
      if (mutant(mutant::kUriInUpdatingAbortsInstall)) {
        install_requested = false;
        set_package_uri(std::move(uri));
        set_state(State::Downloaded, fmt::format("mutant {}: install abandoned", mutant::kUriInUpdatingAbortsInstall));
        set_result(as_number(UpdateResult::UpdateFailed), "install abandoned for a new Package URI");
        publish();
        return CoapAnswer::changed();
      }
      return not_allowed("Package URI cannot change while Updating");
  }
  return not_allowed("unknown state");
}

CoapAnswer FirmwareUpdateObject::Impl::write_package_block(std::uint64_t offset, ByteView data, bool more,
                                                           std::optional<std::uint64_t> total_size) {
  if (options.delivery == 0) return not_allowed("push is not offered (/5/0/9 = 0)");
  // A single NUL byte (1.0.3 text) or an empty Package (2017 text) is the reset request.
  const bool is_reset = offset == 0 && !more && (data.empty() || (data.size() == 1 && data[0] == 0));
  if (variant(variant::kBlock1Busy503)) {
    // Busy: installing, or pulling (a reset still stops the pull, T6).
    if (s.state == State::Updating) return unavailable("busy installing");
    if (transfer == Transfer::Pull && !is_reset) return unavailable("busy downloading by pull");
  }
  if (s.state == State::Updating) return not_allowed("Package cannot be written while Updating");

  if (is_reset) {
    if (s.state == State::Idle) {
      pull_requested = false;
      set_package_uri("");
      if (!mutant(mutant::kResetKeepsResultInIdle)) set_result(0, "reset by NUL Package");
    } else if (s.state == State::Downloading && mutant(mutant::kResetIgnoredInDownloading)) {
      return CoapAnswer::changed();
    } else {
      reset_to_idle("reset by NUL Package");
    }
    publish();
    return CoapAnswer::changed();
  }

  if (mutant(mutant::kPushClaimedButRefused)) return not_allowed("mutant push-claimed-but-refused: no push taken");
  switch (s.state) {
    case State::Downloaded:
      if (mutant(mutant::kRefusedPushDropsPackage)) {
        reset_to_idle(fmt::format("mutant {}: the stored package erased", mutant::kRefusedPushDropsPackage));
        publish();
      }
      return bad_request("a package is already downloaded: reset first");
    case State::Updating:
      return not_allowed("Package cannot be written while Updating");
    case State::Downloading:
      if (transfer != Transfer::Push) {
        if (mutant(mutant::kRefusedPushAbortsPull)) {
          reset_to_idle(fmt::format("mutant {}: the running pull stopped", mutant::kRefusedPushAbortsPull));
          publish();
        }
        return bad_request("a download is already running: reset first");
      }
      if (offset == push_next_offset) {
        const bool full = offset > 0 && data.size() == push_next_offset - push_last_offset;
        if (!more && full && mutant(mutant::kFullLastBlockNotFinal)) return accept_push_block(offset, data, true);
        return accept_push_block(offset, data, more);
      }
      if (more && (offset == 0 || offset == push_last_offset)) {
        // RFC 7959: a block seen before is a retransmission, never a new transfer.
        firmware_log().debug("duplicate Block1 at offset {} ignored", offset);
        return CoapAnswer::continue_();
      }
      if (offset == 0) return bad_request("a push is already in progress: reset first");
      if (mutant(mutant::kOutOfOrderBlockAccepted)) return accept_push_block(push_next_offset, data, more);
      return CoapAnswer::error(
          4, 8, fmt::format("expected the block at offset {}, got offset {}", push_next_offset, offset));
    case State::Idle:
      break;
  }

  if (offset != 0) {
    return CoapAnswer::error(
        4, 8, fmt::format("no push in progress: a block at offset {} cannot start one", offset));
  }
  pull_requested = false;
  begin_receiving(Transfer::Push);
  reset_result_for_download();
  if (total_size) {
    if (auto failure = receiver->announce_size(*total_size)) {
      fail_download(*failure);
      publish();
      auto answer = CoapAnswer::error(4, 13, failure->reason);
      answer.size1 = static_cast<std::uint32_t>(std::min<std::uint64_t>(*options.flash_size, UINT32_MAX));
      return answer;
    }
  }
  return accept_push_block(0, data, more);
}

CoapAnswer FirmwareUpdateObject::Impl::accept_push_block(std::uint64_t offset, ByteView data, bool more) {
  if (auto failure = receiver->accept(data)) {
    fail_download(*failure);
    publish();
    switch (failure->result) {
      case UpdateResult::NotEnoughFlash: {
        auto answer = CoapAnswer::error(4, 13, failure->reason);
        if (options.flash_size) {
          answer.size1 = static_cast<std::uint32_t>(std::min<std::uint64_t>(*options.flash_size, UINT32_MAX));
        }
        return answer;
      }
      case UpdateResult::UnsupportedPackageType:
        return CoapAnswer::error(4, 15, failure->reason);
      default:
        return CoapAnswer::error(5, 0, failure->reason);
    }
  }
  push_last_offset = offset;
  push_next_offset = offset + data.size();
  if (more) {
    // T2: the first accepted block of a multi-block push is when Downloading begins.
    set_state(State::Downloading, "push started");
    expect_next_push_block();
    publish();
    return CoapAnswer::continue_();
  }
  // T3/T4. The integrity verdict is not a transfer error: the Write succeeded and a bad
  // package shows as Result 5 (reference §3.2 rule 5).
  complete_download();
  publish();
  return CoapAnswer::changed();
}

std::optional<DownloadFailure> FirmwareUpdateObject::Impl::refused_uri(const std::string& uri) const {
  if (auto unsupported = unsupported_scheme(uri)) return unsupported;
  auto parsed = parse_package_uri(uri);
  if (const auto* why = std::get_if<std::string>(&parsed)) {
    return DownloadFailure{UpdateResult::InvalidUri, fmt::format("invalid URI \"{}\": {}", uri, *why)};
  }
  return std::nullopt;
}

CoapAnswer FirmwareUpdateObject::Impl::execute_update() {
  const bool allowed = s.state == State::Downloaded || (s.state == State::Idle && mutant(mutant::kUpdateInIdle)) ||
                       (s.state == State::Updating && mutant(mutant::kUpdateInUpdating));
  if (!allowed) {
    return not_allowed(fmt::format("Update needs State 2 (Downloaded), State is {}", as_number(s.state)));
  }
  if (user_defers()) {
    // T13: the Execute succeeded; the user's answer is Result 11 with the package kept.
    if (!deferred_until) {
      deferred_until = std::chrono::steady_clock::now() + std::chrono::seconds(s.max_defer_period);
    }
    if (mutant(mutant::kDeferredAsIdle)) set_state(State::Idle, "mutant deferred-as-idle");
    set_result(as_number(UpdateResult::Deferred),
               fmt::format("update deferred by the user, at most {} s (/5/0/13)", s.max_defer_period));
    publish();
    return CoapAnswer::changed();
  }
  start_update("update requested");
  publish();
  return CoapAnswer::changed();
}

CoapAnswer FirmwareUpdateObject::Impl::execute_cancel() {
  const bool cancellable = s.state == State::Downloading || s.state == State::Downloaded ||
                           (s.state == State::Updating && mutant(mutant::kCancelInUpdating));
  if (!cancellable) {
    return not_allowed(fmt::format("Cancel needs State 1 or 2, State is {}", as_number(s.state)));
  }
  install_requested = false;
  deferred_until.reset();
  s.pending_slot.reset();
  abort_transfer();
  pull_requested = false;
  set_package_uri("");
  set_state(State::Idle, "update cancelled");
  set_result(as_number(UpdateResult::Cancelled), "update cancelled");
  show_running_package();
  publish();
  return CoapAnswer::changed();
}

// ---- public API -----------------------------------------------------------------------

FirmwareUpdateObject::FirmwareUpdateObject(FirmwareOptions options, ChangeListener changed,
                                           RestartRequest restart)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(changed), std::move(restart))) {}

FirmwareUpdateObject::~FirmwareUpdateObject() = default;

bool FirmwareUpdateObject::is_defined(std::uint16_t resource) const {
  if (resource <= 9) return resource != 4;
  return impl_->is_v11() && resource <= 13 && !impl_->variant(variant::kNoV11Resources);
}

std::optional<lwm2m::Records> FirmwareUpdateObject::read(std::uint16_t resource) const {
  const auto& s = impl_->s;
  if (!is_defined(resource)) return std::nullopt;
  switch (resource) {
    case 0:
      if (!impl_->mutant(mutant::kReadPackageContent)) return std::nullopt;
      return lwm2m::Records{record(0, impl_->slots.head(impl_->download_slot(), kPackageReadLimit))};
    case 1:
      return lwm2m::Records{record(1, impl_->mutant(mutant::kPackageUriNotReadable) ? "" : s.package_uri)};
    case 3:
      return lwm2m::Records{record(3, as_number(impl_->visible(s.state)))};
    case 5:
      return lwm2m::Records{record(5, s.result)};
    case 6:
      if (impl_->mutant(mutant::kPkgNameAsInteger))
        return lwm2m::Records{record(6, lwm2m::Value(static_cast<std::int64_t>(s.pkg_name.size())))};
      return lwm2m::Records{record(6, s.pkg_name)};
    case 7:
      return lwm2m::Records{record(7, s.pkg_version)};
    case 8: {
      lwm2m::Records records;
      std::uint16_t instance = 0;
      const bool all_six = impl_->mutant(mutant::kClaimsUnservedProtocols);
      for (const int protocol : all_six ? std::set<int>{0, 1, 2, 3, 4, 5} : impl_->options.protocols) {
        records.push_back(lwm2m::Record{lwm2m::Path{5, 0, 8, instance++}, lwm2m::Value(protocol)});
      }
      return records;
    }
    case 9:
      return lwm2m::Records{record(9, impl_->mutant(mutant::kPushClaimedButRefused) ? 2 : impl_->options.delivery)};
    case 11:
      return lwm2m::Records{record(11, s.severity)};
    case 12:
      return lwm2m::Records{record(12, lwm2m::Value(s.last_state_change))};
    case 13:
      return lwm2m::Records{record(13, lwm2m::Value(s.max_defer_period))};
    default:
      return std::nullopt;  // 2 and 10 are executable
  }
}

lwm2m::Records FirmwareUpdateObject::read_instance() const {
  lwm2m::Records all;
  for (std::uint16_t resource = 1; resource <= 13; ++resource) {
    if (auto records = read(resource)) all.insert(all.end(), records->begin(), records->end());
  }
  return all;
}

CoapAnswer FirmwareUpdateObject::write(std::uint16_t resource, const lwm2m::Value& value) {
  if (!is_defined(resource)) return not_found(fmt::format("/5/0/{} does not exist", resource));
  auto& s = impl_->s;
  switch (resource) {
    case 0: {
      Bytes bytes;
      try {
        bytes = value.as_bytes();
      } catch (const std::exception& e) {
        return bad_request(fmt::format("Package: {}", e.what()));
      }
      return write_package_block(0, bytes, false, std::nullopt, 6);
    }
    case 1:
      return impl_->write_package_uri(value);
    case 11: {
      std::int64_t severity = 0;
      try {
        severity = value.as_int();
      } catch (const std::exception& e) {
        return bad_request(fmt::format("Severity: {}", e.what()));
      }
      if (severity < 0 || severity > 2) return bad_request(fmt::format("Severity {} outside 0..2", severity));
      if (s.severity != static_cast<int>(severity)) {
        s.severity = static_cast<int>(severity);
        impl_->mark(11);
      }
      impl_->publish();
      return CoapAnswer::changed();
    }
    case 13: {
      std::uint64_t period = 0;
      try {
        const auto signed_value = value.as_int();
        if (signed_value < 0) {
          return bad_request(fmt::format("Maximum Defer Period {} is negative", signed_value));
        }
        period = static_cast<std::uint64_t>(signed_value);
      } catch (const std::exception&) {
        try {
          period = value.as_uint();  // beyond int64 but still unsigned
        } catch (const std::exception& e) {
          return bad_request(fmt::format("Maximum Defer Period: {}", e.what()));
        }
      }
      if (s.max_defer_period != period) {
        s.max_defer_period = period;
        impl_->mark(13);
      }
      impl_->publish();
      return CoapAnswer::changed();
    }
    case 5:
      if (impl_->mutant(mutant::kUpdateResultWritable)) {
        try {
          impl_->set_result(static_cast<int>(value.as_int()), "mutant update-result-writable: written by the server");
        } catch (const std::exception& e) {
          return bad_request(fmt::format("Update Result: {}", e.what()));
        }
        impl_->publish();
        return CoapAnswer::changed();
      }
      return not_allowed("/5/0/5 is not writable");
    default:
      return not_allowed(fmt::format("/5/0/{} is not writable", resource));
  }
}

CoapAnswer FirmwareUpdateObject::write_package_block(std::uint64_t offset, fc::ByteView data, bool more,
                                                     std::optional<std::uint64_t> total_size, int /*szx*/) {
  return impl_->write_package_block(offset, data, more, total_size);
}

CoapAnswer FirmwareUpdateObject::execute(std::uint16_t resource, const std::string& /*arguments*/) {
  if (!is_defined(resource)) return not_found(fmt::format("/5/0/{} does not exist", resource));
  if (resource == 2) return impl_->execute_update();
  if (resource == 10) return impl_->execute_cancel();
  return not_allowed(fmt::format("/5/0/{} is not executable", resource));
}

void FirmwareUpdateObject::registered() {
  auto& impl = *impl_;
  if (!impl.decide_after_registration || impl.decide_at) return;
  // Online again: the device confirms (or rolls back) its new image a moment later, as an
  // application does once it has checked its connection.
  impl.decide_at = std::chrono::steady_clock::now() + kDecideAfterRegistration;
}

void FirmwareUpdateObject::poll() {
  auto& impl = *impl_;
  if (impl.pull) {
    impl.pull->poll();
    impl.note_pull_validator();
    if (impl.pull && impl.pull->outcome()) {
      impl.finish_pull();
      impl.publish();
    }
  }
  if (impl.pull_requested) {
    impl.start_requested_pull();
    impl.publish();
  }
  const auto now = std::chrono::steady_clock::now();
  if (impl.resume_at && now >= *impl.resume_at) {
    impl.resume_pull();
    impl.publish();
  }
  if (impl.forget_result_at && now >= *impl.forget_result_at) {
    impl.forget_result_at.reset();
    if (impl.s.state == State::Idle) {
      impl.set_result(0, fmt::format("mutant {}", mutant::kResultClearedSoonAfterFailure));
      impl.publish();
    }
  }
  impl.check_push_silence(now);
  if (impl.deferred_until && now >= *impl.deferred_until) {
    impl.start_update("Maximum Defer Period expired");  // T14
    impl.publish();
  }
  if (impl.decide_at && now >= *impl.decide_at) {
    impl.decide_at.reset();
    impl.decide_after_registration = false;
    impl.boot_pending_slot();
    impl.publish();
  }
  if (impl.install_requested && now >= impl.install_at) {
    impl.install_requested = false;
    impl.install();
    impl.publish();
  }
}

std::vector<int> FirmwareUpdateObject::wait_fds() const {
  return impl_->pull ? impl_->pull->wait_fds() : std::vector<int>{};
}

int FirmwareUpdateObject::next_timeout_ms() const {
  if (impl_->pull_requested) return 0;
  int timeout = impl_->pull ? std::min(impl_->pull->next_timeout_ms(), kNothingTimedMs) : kNothingTimedMs;
  const auto now = std::chrono::steady_clock::now();
  auto until = [&](std::chrono::steady_clock::time_point at) {
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(at - now).count();
    return static_cast<int>(std::clamp<std::int64_t>(ms, 0, kNothingTimedMs));
  };
  if (impl_->install_requested) timeout = std::min(timeout, until(impl_->install_at));
  if (impl_->push_silent_until) timeout = std::min(timeout, until(*impl_->push_silent_until));
  if (impl_->deferred_until) timeout = std::min(timeout, until(*impl_->deferred_until));
  if (impl_->decide_at) timeout = std::min(timeout, until(*impl_->decide_at));
  if (impl_->resume_at) timeout = std::min(timeout, until(*impl_->resume_at));
  if (impl_->forget_result_at) timeout = std::min(timeout, until(*impl_->forget_result_at));
  return timeout;
}

std::string FirmwareUpdateObject::running_version() const {
  return impl_->s.running_version.empty() ? impl_->options.factory_version : impl_->s.running_version;
}

int FirmwareUpdateObject::state() const { return as_number(impl_->s.state); }
int FirmwareUpdateObject::update_result() const { return impl_->s.result; }
bool FirmwareUpdateObject::mutant(std::string_view name) const { return impl_->mutant(name); }
bool FirmwareUpdateObject::variant(std::string_view name) const { return impl_->variant(name); }

}  // namespace fc::refclient
