// The reference client's Firmware Update object (/5): the state machine of
// shared/docs/lwm2m-fota-reference.md §3, A/B slots, pull downloads and deliberate faults.
//
// This is the seam between the CoAP plumbing (refclient/client/) and the firmware logic
// (refclient/firmware/). The plumbing turns requests into these calls and turns `changed`
// callbacks into Observe notifications; it never interprets /5 itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "refclient/security/tls_credentials.h"
#include "suite/common/bytes.h"
#include "suite/lwm2m/value.h"

namespace fc::refclient {

// The CoAP answer the plumbing must send, as a code class.detail (2.04 is {2,4}).
struct CoapAnswer {
  int code_class = 2;
  int code_detail = 4;
  std::string diagnostic;  // optional diagnostic payload text for error answers
  // For Block1 writes: the client's preferred block size exponent (SZX) to echo, if smaller.
  std::optional<int> block_szx;
  // For 4.13: the largest acceptable size, sent as Size1.
  std::optional<std::uint32_t> size1;
  static CoapAnswer changed() { return {2, 4, {}, {}, {}}; }
  static CoapAnswer continue_() { return {2, 31, {}, {}, {}}; }
  static CoapAnswer error(int cls, int detail, std::string why) { return {cls, detail, std::move(why), {}, {}}; }
  bool ok() const { return code_class == 2; }
};

// --resume-downloads: the pause before a cut pull is continued (docs/refclient.md: 2 s).
inline constexpr std::chrono::milliseconds kResumePause{2000};

// Everything configurable from the command line that the firmware side needs.
struct FirmwareOptions {
  std::filesystem::path state_dir;           // slots and persisted state live here
  std::filesystem::path verify_key;          // PEM public key for package signatures
  std::string factory_version = "1.0.0";     // /3/0/3 before any update
  std::string object_version = "1.0";        // "1.0" or "1.1"
  std::set<int> protocols{0, 2};             // /5/0/8 values claimed (0 coap, 1 coaps, 2 http, 3 https, 4 coap+tcp, 5 coaps+tcp)
  int delivery = 2;                          // /5/0/9: 0 pull, 1 push, 2 both
  std::optional<std::uint64_t> flash_size;   // --flash-size: Result 2 beyond it
  std::optional<std::uint64_t> ram_limit;    // --ram-limit: Result 3 beyond it
  std::set<std::string> mutants;             // --mutant NAME (repeatable)
  std::set<std::string> variants;            // --variant NAME (repeatable): legal choices, variants.h
  // CoAP transmission parameters for pulls (seconds, count).
  double ack_timeout = 2.0;
  int max_retransmit = 4;
  double ack_random_factor = 1.5;
  // --install-time: how long State 3 (Updating) lasts after Execute Update before the install
  // restarts the process, so a server can act on a device that is Updating.
  std::chrono::milliseconds install_time{0};
  // --defer-update (object 1.1): a simulated user defers every Update while Maximum Defer
  // Period (/5/0/13) is above 0: 2.04, State stays 2, Result 11 (T13); the install starts by
  // itself once that period has passed (T14).
  bool defer_update = false;
  // --resume-downloads: a pull cut by a lost link or a restart continues from the bytes held
  // (download_resumption.h); without it, it fails with Result 4 (a restart) or at once.
  bool resume_downloads = false;
  // The pause before each try of a cut pull (kResumePause; unit tests shorten it, the command
  // line does not change it).
  std::chrono::milliseconds resume_pause = kResumePause;
  // What pulls over coaps, coaps+tcp and https present to the repository and trust from it.
  TlsCredentials repository_security;
};

// Which resources changed, so the plumbing can notify observers in order.
using ChangeListener = std::function<void(std::uint16_t resource)>;

// Asks the process to restart itself into the newly marked slot (re-exec with the same
// command line) once pending notifications are flushed.
using RestartRequest = std::function<void()>;

class FirmwareUpdateObject {
 public:
  // Loads persisted state from options.state_dir (creating it on first start) and performs
  // the boot step: a freshly installed slot is booted, confirmed or rolled back here.
  // Throws std::runtime_error naming the path when the state directory is unusable.
  FirmwareUpdateObject(FirmwareOptions options, ChangeListener changed, RestartRequest restart);
  ~FirmwareUpdateObject();

  // Read of /5/0/<resource>; nullopt for resources that are not readable or do not exist in
  // the configured object version (the plumbing answers 4.05 or 4.04 accordingly: see
  // is_defined). Multiple-instance resource 8 returns records for /5/0/8/i.
  std::optional<lwm2m::Records> read(std::uint16_t resource) const;
  bool is_defined(std::uint16_t resource) const;
  // The readable resources of the instance, in order, for a Read of /5/0 or /5.
  lwm2m::Records read_instance() const;

  // Write /5/0/1 (Package URI), /5/0/11 (Severity), /5/0/13 (Max Defer Period).
  CoapAnswer write(std::uint16_t resource, const lwm2m::Value& value);

  // Write /5/0/0 (Package), one Block1 block at a time (or a whole single message:
  // offset 0, more=false). `total_size` is Size1 when the server sent it.
  CoapAnswer write_package_block(std::uint64_t offset, fc::ByteView data, bool more,
                                 std::optional<std::uint64_t> total_size, int szx);

  // Execute /5/0/2 (Update) and /5/0/10 (Cancel).
  CoapAnswer execute(std::uint16_t resource, const std::string& arguments);

  // The client has just registered (a 2.01 to Register). Under --variant decide-after-restart
  // a device that came back from its install restart decides the outcome shortly after this.
  void registered();

  // Drives pull downloads and timed work; called by the main loop every iteration.
  // File descriptors the loop should also wait on (the pull downloader's sockets).
  void poll();
  std::vector<int> wait_fds() const;
  // Milliseconds until poll() has timed work to do (retransmissions), capped by the caller:
  // 0 when poll() has work now, 60000 when only the descriptors of wait_fds() can wake it.
  int next_timeout_ms() const;

  // /3/0/3: the version of the running image.
  std::string running_version() const;
  // Current State and Update Result, for logs. state() is the internal State: under
  // --variant no-updating-state a Read of /5/0/3 shows 2 where state() is 3.
  int state() const;
  int update_result() const;

  // True when `--mutant name` is active, for the mutants that live in the plumbing (e.g.
  // read-package-content; read(0) already answers with content under that mutant).
  bool mutant(std::string_view name) const;
  // True when `--variant name` is active, for the variants that live in the plumbing.
  bool variant(std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fc::refclient
