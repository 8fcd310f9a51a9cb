// What the pull, push and reset areas share beyond the fixture: a full install's re-registration
// (the device declared `reboot_on_update`; reference §3.5) and Block1 transfers sent block by
// block, which a case that opens one must close before it ends. Lives beside the cases rather
// than in the fixture (fixtures/fota_case.h) because only these areas need it.
#pragma once

#include <fmt/format.h>

#include <algorithm>

#include "fixtures/fota_case.h"

namespace fc::fixtures {

// A package pushed to /5/0/0 one Block1 request at a time (RFC 7959 §2.5), for cases that send
// sequences a well-behaved push() never sends: repeated, gapped or unfinished.
class Block1Transfer {
 public:
  explicit Block1Transfer(Bytes image, std::uint8_t szx = 5) : image_(std::move(image)), szx_(szx) {}
  std::size_t block_size() const { return std::size_t{1} << (szx_ + 4); }
  std::uint32_t last() const { return static_cast<std::uint32_t>((image_.size() - 1) / block_size()); }
  ByteView block(std::uint32_t num) const {
    const std::size_t from = std::min(image_.size(), num * block_size());
    return ByteView(image_).subspan(from, std::min(image_.size(), from + block_size()) - from);
  }
  coap::BlockOption option(std::uint32_t num) const { return {num, num < last(), szx_}; }

 private:
  Bytes image_;
  std::uint8_t szx_;
};

class DeliveryCase : public FotaCase {
 protected:
  // ETS 770/771 steps 2–3, pull or push alike: Update installs, ends Idle with Result 1 and the
  // new /3/0/3; a device declared reboot_on_update registers anew.
  void install_new_version() {
    // The /3/0/3 check below means something only if the new version is not the one running
    // now (every forged package carries its own; a profile may fix /3/0/3 whatever is installed).
    const auto running = firmware_version();
    if (packages().installed_version_is_fixed() || !packages().forges_versions()) {
      if (running == installed_version())
        measure("/3/0/3 after the update", "the version the device runs already (" + running +
                                               "; the profile's packages are not numbered): it cannot tell the new "
                                               "image from the old");
    } else if (running == installed_version())
      return record_error("preparing the /3/0/3 check", "the package's version " + running +
                                                            " is the one the device runs already");
    const auto generation = registration_generation();
    expect_code(execute_update(), {coap::code::Changed});
    // A failed install is the finding; what follows (Idle, /3/0/3) cannot hold after it.
    if (!await_result(UpdateResult::Success)) return;
    expect_registered_again(generation);
    await_state(State::Idle);
    expect_equal("Read /3/0/3 after the update", installed_version(), firmware_version());
    expect_sequence(FirmwareResource::State, {to_int(State::Downloaded), to_int(State::Idle)});
  }

  // One block of `transfer`, by PUT in CF 42 (application/octet-stream).
  server::DmResponse send_block(const Block1Transfer& transfer, std::uint32_t num) {
    return device().write_block(res::Package, 42, transfer.block(num), transfer.option(num));
  }

  // Closes a Block1 transfer the case left open, with no judgement (the case has judged what
  // it is about): sends blocks `next`..last, so a device that serves one block-wise request
  // at a time (Anjay answers everything else 5.03 meanwhile) ends it normally; when a block is
  // not taken, one NUL byte to Package resets the download (T6). Then waits, within the
  // transition deadline, until the device answers a Read of State again. The fixture's reset
  // clears the package it may now hold.
  void close_block1(const Block1Transfer& transfer, std::uint32_t next) {
    bool finished = false;
    for (auto n = next; n <= transfer.last(); ++n) {
      auto answer = send_block(transfer, n);
      if (!answer.ok()) break;
      finished = n == transfer.last();
    }
    if (finished)
      wait_until_answering();
    else
      abandon_block1();
  }

  // Ends a Block1 transfer the device stopped taking: one NUL byte to Package (T6), whatever
  // the answer, then waits until the device answers a Read again.
  void abandon_block1() {
    device().write_raw(res::Package, 42, Bytes{0});
    wait_until_answering();
  }

  // Reads State until the device answers with a number (bounded by the transition deadline):
  // a device still busy with a block-wise exchange answers 5.03 or not at all.
  void wait_until_answering() {
    Deadline deadline(session().deadlines().transition);
    PollPacing pacing(Duration(20), Duration(500));
    while (!deadline.passed()) {
      if (try_read_firmware(FirmwareResource::State)) return;
      pause_between_reads(pacing, deadline);
    }
  }

  // The registration generation before an Execute Update: what a new Register must exceed.
  unsigned registration_generation() { return run().server().registry().generation_of(session().endpoint()); }

  // After a successful install on a device whose profile declares `reboot_on_update`: a new
  // Register came (before or after this call) within the registration deadline. Nothing to
  // judge on a device that installs without rebooting.
  bool expect_registered_again(unsigned generation_before_update) {
    if (!profile().capabilities.reboot_on_update) return true;
    const auto waited = session().deadlines().registration;
    const bool again =
        run().server().await_registration(session().endpoint(), Deadline(waited), generation_before_update);
    return expect_that(again, "After a successful install on a device declared reboot_on_update",
                       fmt::format("a new Register within {} ms", waited.count()), "none came",
                       "reference 3.5 (install with reboot: a fresh Register); profile capability reboot_on_update");
  }
};

}  // namespace fc::fixtures
