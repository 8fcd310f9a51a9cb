// Internals of FirmwareUpdateObject shared by its two source files: the requests side
// (firmware_update_object.cpp) and the transitions side (firmware_transitions.cpp).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "refclient/firmware/firmware_types.h"
#include "refclient/firmware/firmware_update_object.h"
#include "refclient/firmware/download_resumption.h"
#include "refclient/firmware/package_receiver.h"
#include "refclient/firmware/persisted_state.h"
#include "refclient/firmware/pull_download.h"
#include "refclient/firmware/slot_store.h"
#include "suite/package/reference_package.h"

namespace fc::refclient {

// /5/0/6 for every reference package (the package header carries a version, no name).
inline constexpr std::string_view kPackageName = "fotacheck-reference-image";
// Pull schemes this build can fetch: all six of /5/0/8 (coap, coaps, http, https, coap+tcp,
// coaps+tcp). A scheme must also be claimed in /5/0/8, or the pull ends in Result 9.
inline constexpr int kImplementedProtocols[] = {0, 1, 2, 3, 4, 5};

struct FirmwareUpdateObject::Impl {
  Impl(FirmwareOptions opts, ChangeListener listener, RestartRequest restart_request);
  ~Impl();

  enum class Transfer { None, Push, Pull };

  FirmwareOptions options;
  ChangeListener changed;
  RestartRequest restart;
  package::VerifyKey key;
  SlotStore slots;
  std::filesystem::path state_file;
  PersistedState s;
  // What the state file holds now: an unchanged state is not written again (a push of 16-byte
  // blocks would otherwise cost one fsync per block).
  std::optional<PersistedState> saved;

  Transfer transfer = Transfer::None;
  std::unique_ptr<PackageReceiver> receiver;
  std::unique_ptr<PullDownload> pull;  // destroyed before `receiver`, which it writes into
  bool pull_requested = false;         // a Package URI write waiting for poll() to start it
  bool install_requested = false;      // an Update waiting for poll()
  std::chrono::steady_clock::time_point install_at;  // when poll() installs (--install-time)
  // A deferred Update (T13) installs by itself at this time (T14); not persisted: after a
  // restart the device waits in Downloaded for the next Update.
  std::optional<std::chrono::steady_clock::time_point> deferred_until;
  // --variant decide-after-restart: the boot step left State 3 for after the next Register;
  // `decide_at` is when poll() boots the pending slot (set once the client has registered).
  bool decide_after_registration = false;
  std::optional<std::chrono::steady_clock::time_point> decide_at;
  std::uint64_t push_next_offset = 0;
  std::uint64_t push_last_offset = 0;
  // An open push fails (State 0, Result 4) when its next block has not come by then: one
  // MAX_TRANSMIT_WAIT of the client's CoAP parameters, as long as it waits on a repository.
  std::optional<std::chrono::steady_clock::time_point> push_silent_until;
  std::vector<std::uint16_t> pending_changes;
  // --resume-downloads (download_resumption.cpp): the running pull's representation once known,
  // the tries since the URI was written, and when poll() continues a pull cut by a lost link.
  std::optional<ResumePoint> resume_point;
  int resume_attempts = 0;
  std::optional<std::chrono::steady_clock::time_point> resume_at;
  // result-cleared-soon-after-failure: when the failed download's Result goes back to 0.
  std::optional<std::chrono::steady_clock::time_point> forget_result_at;

  bool mutant(std::string_view name) const;
  bool variant(std::string_view name) const;
  // What a Read of /5/0/3 shows: State 3 is hidden under --variant no-updating-state.
  State visible(State state) const;
  bool is_v11() const { return options.object_version == "1.1"; }
  Slot download_slot() const { return download_slot_for(s.active_slot); }
  State state() const { return s.state; }

  // One event = any number of set_* calls, then publish(): the state file is saved first,
  // then changed() runs once per changed resource in a fixed order (3, 12, 5, 1, 6, 7, 11, 13).
  void set_state(State to, std::string_view why);
  void set_result(int to, std::string_view why);
  void set_package_uri(std::string uri);
  void set_package_info(std::string name, std::string version);
  void show_running_package();
  void mark(std::uint16_t resource);
  void publish(bool notify = true);

  // Transitions (firmware_transitions.cpp).
  void boot();
  // The boot step of a device that restarted in Updating: boot the pending slot (0/1), roll
  // back (2/8) or refuse a slot that no longer verifies (0/5).
  void boot_pending_slot();
  void reset_result_for_download();
  void begin_receiving(Transfer kind);
  void abort_transfer() noexcept;
  void reset_to_idle(std::string_view why);
  void fail_download(const DownloadFailure& failure);
  void complete_download();
  // Result 9 (with its reason) for a URI whose scheme is not claimed in /5/0/8 or not known.
  std::optional<DownloadFailure> unsupported_scheme(const std::string& uri) const;
  void start_requested_pull();
  void finish_pull();
  // Resumption (download_resumption.cpp).
  std::filesystem::path resume_file() const;
  void forget_resume_point() noexcept;
  // poll(): keeps the running pull's validator once its first answer came.
  void note_pull_validator();
  // A failed pull that is continued or started over instead (State stays 1): true.
  bool resume_after_failure(const PullOutcome& outcome);
  // boot() in State 1 with a resume point for the Package URI: poll() continues the pull.
  bool resume_pending_after_boot();
  // Continues the pull from the bytes the partial slot holds, or starts it over from byte 0.
  void resume_pull();
  TransferTiming transfer_timing() const { return TransferTiming{options.ack_timeout, options.max_retransmit, options.ack_random_factor}; }
  // After each non-final push block: the next one must come within push_silent_until.
  void expect_next_push_block();
  void check_push_silence(std::chrono::steady_clock::time_point now);
  void install();
  // T8 (and T14 once a deferral ends): State 3, Result 0, install after --install-time.
  void start_update(std::string_view why);
  bool user_defers() const;

  // Requests (firmware_update_object.cpp).
  CoapAnswer write_package_uri(const lwm2m::Value& value);
  // bad-uri-400: why a Package URI is refused at the Write (Result 9 or 7), nullopt to take it.
  std::optional<DownloadFailure> refused_uri(const std::string& uri) const;
  CoapAnswer write_package_block(std::uint64_t offset, ByteView data, bool more,
                                 std::optional<std::uint64_t> total_size);
  CoapAnswer accept_push_block(std::uint64_t offset, ByteView data, bool more);
  CoapAnswer execute_update();
  CoapAnswer execute_cancel();
};

}  // namespace fc::refclient
