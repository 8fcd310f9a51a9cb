// What the device says it can do, held to it: every pull protocol Protocol Support (/5/0/8)
// lists and every delivery Delivery Method (/5/0/9) names must work (TS Core E.6; reference
// §4.1). FU-CAP-001 compares these resources with the profile; these cases deliver through them.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "fixtures/fota_case.h"
#include "suite/profile/names.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using lwm2m::firmware::describe_update_result;

class Claims : public FotaCase {
 protected:
  // /5/0/8 and /5/0/9 from one Read of /5/0; nullopt with a finding when that Read fails.
  struct Claimed {
    std::vector<Scheme> pull;  // in /5/0/8 order; absent /5/0/8 is CoAP only (ETS C.8)
    std::int64_t delivery = 0;
  };
  std::optional<Claimed> claimed() {
    auto response = device().read(res::Instance);
    if (!expect_code(response, {code::Content})) return std::nullopt;
    auto delivery = response.value(res::DeliveryMethod);
    if (!expect_that(delivery.has_value(), "Read /5/0", "Delivery Method /5/0/9 (mandatory) in the answer",
                     response.describe()))
      return std::nullopt;
    Claimed claims{{}, delivery->as_int()};
    std::set<std::int64_t> codes;
    for (const auto& r : response.records)
      if (res::ProtocolSupport.contains(r.path) && r.path != res::ProtocolSupport) codes.insert(r.value.as_int());
    if (codes.empty()) codes.insert(0);
    // PullScheme is declared in /5/0/8's order (profile.h): 0 coap ... 5 coaps+tcp. Values
    // beyond 5 are for a later /5 version; the server ignores them (reference §1.1).
    for (auto value : codes)
      if (value >= 0 && value <= static_cast<std::int64_t>(Scheme::CoapsTcp)) claims.pull.push_back(Scheme(value));
    return claims;
  }
  bool served(Scheme scheme) {
    const auto schemes = run().repository().schemes();
    return std::find(schemes.begin(), schemes.end(), profile::to_string(scheme)) != schemes.end();
  }
  static std::string claim(Scheme scheme) {
    return fmt::format("protocol {} ({}://), listed in /5/0/8", static_cast<int>(scheme), profile::to_string(scheme));
  }
  // A pull over `scheme` ends in State 2 with Result 0 (ETS 756), then an empty Package URI
  // takes the device back to Idle (T7) for the next one.
  void expect_pull_works(Scheme scheme) {
    auto uri = publish(package(), scheme);
    if (!expect_code(pull(uri), {code::Changed}, "(" + claim(scheme) + ")")) return;
    auto end = await_download_end();
    if (!end) return;
    expect_that(*end == std::pair<std::int64_t, std::int64_t>{to_int(State::Downloaded), 0},
                "Pull of " + uri, "State 2 (Downloaded) with Update Result 0: " + claim(scheme),
                fmt::format("State {} with {}", end->first, describe_update_result(end->second)));
    back_to_idle();
  }
  // A claimed scheme the repository does not serve: the URI points at a port that does not
  // speak it, so the download fails, but as a connection or URI error, never as Result 9
  // (Unsupported protocol), which would deny the claim.
  void expect_scheme_not_refused(Scheme scheme) {
    auto coap_uri = publish(package(), Scheme::Coap);
    auto uri = std::string(profile::to_string(scheme)) + coap_uri.substr(coap_uri.find("://"));
    if (!expect_code(pull(uri), {code::Changed}, "(" + claim(scheme) + ")")) return;
    auto result = await_match(FirmwareResource::UpdateResult, [](std::int64_t v) { return v != 0; });
    measure("pull over " + std::string(profile::to_string(scheme)),
            "not served by the repository, so only checked not to be refused: " + uri + " ended in " +
                (result ? describe_update_result(*result) : std::string("no failure Result within the deadline")));
    expect_that(result != to_int(UpdateResult::UnsupportedProtocol), "Pull of " + uri,
                "no Update Result 9 (Unsupported protocol): " + claim(scheme), describe_update_result(9));
    back_to_idle();
  }
  void back_to_idle() {
    write_package_uri("");
    await_state(State::Idle);
  }
};

// TS Core E.6 (resource 8 lists the protocols the client supports; the server MUST NOT use
// another); reference §3.2 rule 6, §4.1. A device claiming six schemes that serves two fails.
FOTA_CASE(Claims, EveryClaimedProtocolPulls,
          id("FU-CAP-PROTO-01"), level(Level::Must),
          clause("TS Core E.6 (resource 8: Firmware Update Protocol Support); reference 3.2 rule 6, 4.1"),
          requirement("A pull over every protocol /5/0/8 lists (when /5/0/9 offers pull) reaches State 2 with "
                      "Result 0 where the repository serves it, and is never answered Result 9 where it does not")) {
  auto claims = claimed();
  if (!claims) return;
  if (claims->delivery == 1) return not_tested("Delivery Method /5/0/9 is 1 (push only): no pull is claimed");
  for (auto scheme : claims->pull)
    if (served(scheme)) expect_pull_works(scheme);
  // The probes last: their failure Results may linger in Idle (reference 3.7 item 3).
  for (auto scheme : claims->pull)
    if (!served(scheme)) expect_scheme_not_refused(scheme);
}

// TS Core E.6 (resource 9: 0 pull, 1 push, 2 both, the server picks); reference §4.1.
FOTA_CASE(Claims, EveryClaimedDeliveryMethodWorks,
          id("FU-CAP-DELIVERY-01"), level(Level::Must),
          clause("TS Core E.6 (resource 9: Firmware Update Delivery Method); reference 4.1"),
          requirement("With /5/0/9 = 1 or 2 a pushed package reaches State 2 with Result 0; with 0 or 2 a pull over "
                      "the first /5/0/8 protocol the repository serves does")) {
  auto claims = claimed();
  if (!claims) return;
  if (claims->delivery == 1 || claims->delivery == 2) {
    if (expect_code(push(package()), {code::Changed}, "(push claimed by Delivery Method " +
                                                          std::to_string(claims->delivery) + ")") &&
        await_state(State::Downloaded) && expect_result(UpdateResult::Initial))
      back_to_idle();
  }
  if (claims->delivery == 0 || claims->delivery == 2) {
    auto first = std::find_if(claims->pull.begin(), claims->pull.end(), [&](Scheme s) { return served(s); });
    if (first == claims->pull.end())
      return not_tested("no protocol /5/0/8 lists is served by the repository with this profile");
    expect_pull_works(*first);
  }
}

}  // namespace
}  // namespace fc::fixtures
