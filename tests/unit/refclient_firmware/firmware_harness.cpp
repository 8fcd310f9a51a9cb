// Harness implementation: see firmware_harness.h.
#include "firmware_harness.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "suite/common/clock.h"

namespace fc::refclient::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fwobject-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path fixture_key(const std::string& name) {
  return std::filesystem::path(FOTACHECK_SOURCE_DIR) / "fixtures" / "keys" / name;
}

namespace {

Bytes image_bytes(std::size_t size) {
  Bytes image(size);
  for (std::size_t i = 0; i < size; ++i) image[i] = static_cast<std::uint8_t>((i * 31 + 7) & 0xff);
  return image;
}

const package::SigningKey& signing_key() {
  static const auto key = package::SigningKey::load_pem_file(fixture_key("package-signing.key.pem"));
  return key;
}

const package::SigningKey& other_key() {
  static const auto key = package::SigningKey::load_pem_file(fixture_key("other-signing.key.pem"));
  return key;
}

}  // namespace

Bytes make_package(const std::string& version, std::size_t image_size, std::uint16_t flags) {
  package::Header header;
  header.flags = flags;
  header.version = version;
  return package::build(header, image_bytes(image_size), signing_key());
}

Bytes signed_by_other_key(const std::string& version, std::size_t image_size) {
  package::Header header;
  header.version = version;
  return package::build(header, image_bytes(image_size), other_key());
}

Bytes with_flipped_image_byte(Bytes package) {
  package.at(40) ^= 0x01;  // inside the image for any header with a short version string
  return package;
}

Bytes with_wrong_magic(Bytes package) {
  package.at(0) = 'X';
  return package;
}

FirmwareOptions test_options(const std::filesystem::path& dir) {
  FirmwareOptions options;
  options.state_dir = dir;
  options.verify_key = fixture_key("package-signing.pub.pem");
  options.factory_version = "1.0.0";
  options.object_version = "1.1";
  options.protocols = {0, 2};
  options.delivery = 2;
  options.ack_timeout = 0.1;
  options.max_retransmit = 1;
  return options;
}

FirmwareHarness::FirmwareHarness(FirmwareOptions options) : options_(std::move(options)) { restart(); }

FirmwareHarness::~FirmwareHarness() = default;

void FirmwareHarness::restart() {
  object_.reset();
  object_ = std::make_unique<FirmwareUpdateObject>(
      options_,
      [this](std::uint16_t resource) {
        changes.push_back(resource);
        seen_at_change.emplace_back(object_->state(), object_->update_result());
        if (resource == 3) state_timeline.push_back(object_->state());
      },
      [this] { ++restart_requests; });
}

void FirmwareHarness::clear_changes() {
  changes.clear();
  seen_at_change.clear();
  state_timeline.clear();
}

std::vector<BlockAnswer> FirmwareHarness::push(ByteView package, std::size_t block_size,
                                               std::optional<std::uint64_t> size1) {
  std::vector<BlockAnswer> answers;
  int szx = 0;
  while ((std::size_t{16} << szx) < block_size) ++szx;
  std::uint64_t offset = 0;
  do {
    const auto length = std::min<std::size_t>(block_size, package.size() - offset);
    const bool more = offset + length < package.size();
    auto answer = object_->write_package_block(offset, package.subspan(offset, length), more,
                                               offset == 0 ? size1 : std::nullopt, szx);
    answers.push_back({offset, answer});
    const bool go_on = answer.code_class == 2 && answer.code_detail == 31;
    offset += length;
    if (!go_on) break;
  } while (offset < package.size());
  return answers;
}

bool FirmwareHarness::pump_until(const std::function<bool()>& done, std::chrono::milliseconds budget,
                                 const std::function<void()>& also) {
  const Deadline deadline(budget);
  while (true) {
    if (also) also();
    object_->poll();
    if (done()) return true;
    if (deadline.passed()) return false;
    // Wait on the object's descriptors, but never long: a repository in this thread needs pumping too.
    std::vector<pollfd> fds;
    for (const int fd : object_->wait_fds()) fds.push_back(pollfd{fd, POLLIN, 0});
    const int wait = std::clamp(object_->next_timeout_ms(), 0, also ? 2 : 20);
    ::poll(fds.data(), fds.size(), wait);
  }
}

bool FirmwareHarness::await(int state, int result, std::chrono::milliseconds budget,
                            const std::function<void()>& also) {
  return pump_until([&] { return object_->state() == state && object_->update_result() == result; }, budget,
                    also);
}

std::int64_t FirmwareHarness::read_int(std::uint16_t resource) {
  const auto records = object_->read(resource);
  if (!records || records->empty())
    throw std::runtime_error("resource " + std::to_string(resource) + " not readable");
  return records->front().value.as_int();
}

std::string FirmwareHarness::read_string(std::uint16_t resource) {
  const auto records = object_->read(resource);
  if (!records || records->empty())
    throw std::runtime_error("resource " + std::to_string(resource) + " not readable");
  return records->front().value.as_string();
}

}  // namespace fc::refclient::testing
