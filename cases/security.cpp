// Security (TS Core 7.1; reference §8): a device must not take a firmware image from a server it
// cannot authenticate, and the LwM2M server refuses a device whose credentials do not match.
#include <algorithm>

#include "fixtures/fota_case.h"
#include "suite/common/data_location.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Security : public FotaCase {
 protected:
  // A repository whose https certificate chains to the suite's rogue CA, which no device is
  // given: any device that checks the chain refuses it. Lives for the case.
  std::string publish_untrusted_https(const Bytes& content) {
    repository::RepositoryConfig config;
    config.bind = profile().repository.bind;
    config.advertised_host = profile().repository.advertised_host;
    config.https_certificate = common::data_file("fixtures/pki/rogue-repository.crt.pem").string();
    config.https_private_key = common::data_file("fixtures/pki/rogue-repository.key.pem").string();
    config.http = false;  // https alone: nothing else of this repository is offered to the device
    config.tcp = false;
    rogue_ = std::make_unique<repository::FirmwareRepository>(run().loop(), run().trace(), config);
    rogue_->publish("/fw/untrusted.bin", content);
    return rogue_->uri("/fw/untrusted.bin", "https");
  }
  std::unique_ptr<repository::FirmwareRepository> rogue_;
};

// An https:// Package URI whose server presents a certificate the device does not trust must
// end the download in a failure result (which one the specification leaves open: recorded),
// never in Downloaded with an image from an unauthenticated source.
FOTA_CASE(Security, UntrustedHttpsCertificateFailsTheDownload,
          id("FU-SEC-HTTPS-UNTRUSTED"), level(Level::Must), needs(Capability::PullHttps),
          clause("TS Core 7.1 (server authentication), E.6.1 (Update Result 2-9); RFC 9110 4.3.4"),
          requirement("A pull from an https server with an untrusted certificate ends in Idle with a failure "
                      "Update Result, and nothing is downloaded")) {
  auto uri = publish_untrusted_https(package());
  if (!expect_code(pull(uri), {code::Changed})) return;
  auto failed = await_failure_result();
  if (!failed) return;
  measure("Update Result for an untrusted certificate", std::to_string(*failed));
  await_state(State::Idle);
  const auto served = rogue_->counters("/fw/untrusted.bin").completed;
  expect_that(served == 0, "Pull from an https server with an untrusted certificate",
              "the connection refused before the package's last byte",
              "the package served to the end " + std::to_string(served) + " time(s)");
}

// With the server's PSK for the device's identity changed, the DTLS handshake cannot complete:
// the device is refused (no registration), and the server's account names a key mismatch. With
// the right key back, the device registers again.
FOTA_CASE(Security, PskMismatchIsRefused,
          id("FU-SEC-PSK-MISMATCH"), level(Level::Must), needs(Capability::PskSecurity),
          clause("TS Core 7.1.1 (PSK), RFC 7252 9.1.3.1; reference 8.1"),
          requirement("A device whose PSK does not match the server's is refused before it can register, "
                      "and registers again once the keys match")) {
  auto& server = run().server();
  const auto handshakes_before = server.handshakes().size();
  const auto registrations_before = registration_generation();
  server.accept_psk_key(Bytes(16, 0xA5));
  // While the server holds the other key no handshake of the device can complete, so the wait
  // ends at the first refused one rather than at the registration deadline. The right key comes
  // back only after the checks: a device retrying meanwhile is refused again.
  const auto refused = [&] {
    const auto& all = server.handshakes();
    return std::any_of(all.begin() + static_cast<std::ptrdiff_t>(std::min(handshakes_before, all.size())), all.end(),
                       [](const coap::HandshakeReport& h) { return !h.established; });
  };
  const bool registered = session().restart({}, refused);
  const auto with_wrong_key = "Restart the device with a PSK the server does not accept";
  expect_that(!registered, with_wrong_key, "no registration", "the device registered");
  const auto registrations = registration_generation();
  expect_that(registrations == registrations_before, with_wrong_key, "no Register accepted",
              "Registers accepted in all: " + std::to_string(registrations_before) + " before, " +
                  std::to_string(registrations) + " after");
  const auto& handshakes = server.handshakes();
  if (expect_that(handshakes.size() > handshakes_before, with_wrong_key, "a DTLS handshake attempt", "none")) {
    expect_that(!handshakes.back().established, with_wrong_key, "the DTLS handshake refused", "it was established");
    expect_that(handshakes.back().reason.find("key mismatch") != std::string::npos, with_wrong_key,
                "the server's account of the handshake names a key mismatch", "\"" + handshakes.back().reason + "\"");
  }
  server.accept_psk_key(server.config().credentials.psk_key);
  const bool back = session().restart();
  expect_that(back, "Restart the device with the right PSK", "a new registration",
              session().diagnosis().value_or("no registration"));
}

}  // namespace
}  // namespace fc::fixtures
