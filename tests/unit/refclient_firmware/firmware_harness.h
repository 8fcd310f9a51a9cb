// Test support for the reference client's /5 object: a temporary state directory, reference
// packages signed with the fixture keys, and a harness that records change callbacks,
// pushes packages block by block and pumps poll() under a deadline.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "refclient/firmware/firmware_update_object.h"
#include "suite/common/bytes.h"
#include "suite/package/reference_package.h"

namespace fc::refclient::testing {

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::filesystem::path fixture_key(const std::string& name);  // fixtures/keys/<name>

// Reference packages: image bytes are deterministic, signatures come from the fixture keys.
Bytes make_package(const std::string& version = "2.0.0", std::size_t image_size = 3000,
                   std::uint16_t flags = 0);
Bytes signed_by_other_key(const std::string& version = "2.0.0", std::size_t image_size = 3000);
Bytes with_flipped_image_byte(Bytes package);  // signature no longer verifies: Result 5
Bytes with_wrong_magic(Bytes package);         // "XCPK": Result 6

// Options for a client in `dir`: both deliveries, coap+http, object 1.1, the fixture key,
// short CoAP timers so a dead link is detected quickly.
FirmwareOptions test_options(const std::filesystem::path& dir);

struct BlockAnswer {
  std::uint64_t offset = 0;
  CoapAnswer answer;
};

class FirmwareHarness {
 public:
  explicit FirmwareHarness(FirmwareOptions options);
  ~FirmwareHarness();

  FirmwareUpdateObject& object() { return *object_; }
  FirmwareUpdateObject* operator->() { return object_.get(); }
  const FirmwareOptions& options() const { return options_; }

  // Destroys and re-creates the object from the same state directory: a process restart.
  void restart();

  // Sends `package` as Block1 blocks of `block_size` bytes (a single message when it fits),
  // stopping at the first answer that is neither 2.31 nor 2.04. Size1 is sent when given.
  std::vector<BlockAnswer> push(ByteView package, std::size_t block_size = 512,
                                std::optional<std::uint64_t> size1 = std::nullopt);

  // Calls poll() (and `also`, e.g. a repository's pump) until `done` or the budget is spent;
  // returns whether `done` became true.
  bool pump_until(const std::function<bool()>& done, std::chrono::milliseconds budget,
                  const std::function<void()>& also = {});
  // Pumps until State/Result equal the given values.
  bool await(int state, int result, std::chrono::milliseconds budget = std::chrono::milliseconds(5000),
             const std::function<void()>& also = {});

  // Resources passed to `changed`, in order, and (State, Result) seen at each call.
  std::vector<std::uint16_t> changes;
  std::vector<std::pair<int, int>> seen_at_change;
  // State values seen by changed(3) calls, in order.
  std::vector<int> state_timeline;
  int restart_requests = 0;

  void clear_changes();
  // Value of a single-resource read (the first record), as int or string.
  std::int64_t read_int(std::uint16_t resource);
  std::string read_string(std::uint16_t resource);

 private:
  FirmwareOptions options_;
  std::unique_ptr<FirmwareUpdateObject> object_;
};

}  // namespace fc::refclient::testing
