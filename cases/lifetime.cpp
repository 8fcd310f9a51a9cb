// The registration lifetime during a long download (TS Core 6.2.2; ETS 102; reference §7.2): a
// device busy fetching its firmware still refreshes its registration before each lifetime ends.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;
using server::RegistrationEventKind;

class Lifetime : public FotaCase {
 protected:
  // The refreshes judged after the Update announcing the lifetime: each must come within a
  // lifetime of the one before while the pull runs; two show the device keeps doing it.
  static constexpr std::size_t kRefreshesNeeded = 2;
  // The lifetimes tried, shortest first, inside those the profile lets the server accept. The
  // pull is paced to three lifetimes, so the case asks for the shortest a device can keep: two of its
  // ACK_TIMEOUTs (whole seconds), so that an Update sent at half the lifetime still has one
  // ACK_TIMEOUT to be answered (2 s on loopback with ACK_TIMEOUT 1 s; Anjay takes 1 s and then
  // registers anew every second). A device that refuses it (its own minimum) is asked for 3 s.
  std::vector<std::uint32_t> short_lifetimes() {
    const auto& bounds = profile().server.lifetime;
    const auto& timing = profile().timing;
    const auto ack_timeout_s = static_cast<double>(timing.coap.ack_timeout.count()) / 1000.0 * timing.scale;
    const auto keepable = static_cast<std::uint32_t>(std::max(1.0, std::ceil(2 * ack_timeout_s)));
    std::vector<std::uint32_t> out;
    for (std::uint32_t wanted : {keepable, std::max(keepable, 3u)}) {
      const auto lifetime = std::min(std::max(wanted, bounds.min.value_or(1)), bounds.max.value_or(wanted));
      if (out.empty() || out.back() < lifetime) out.push_back(lifetime);
    }
    return out;
  }
  // /1/x/1 of the Server instance the device registered (</1/1> for Anjay): the instance id
  // is the client's choice.
  lwm2m::Path lifetime_path() { return server_resource(1); }
  // Writes /1/x/1; TearDown puts back the value the first write replaced.
  server::DmResponse write_lifetime(std::uint32_t seconds) {
    if (!lifetime_before_) {
      lifetime_path_ = lifetime_path();
      auto read = device().read(*lifetime_path_);
      if (read.ok() && read.value(*lifetime_path_)) lifetime_before_ = read.value(*lifetime_path_)->as_int();
    }
    return device().write_value(lifetime_path(), lwm2m::Value(std::int64_t{seconds}));
  }
  // Waits while the slowed pull runs until the device has announced `lifetime` and refreshed
  // `wanted` times after it (the Updates the rule needs), a lifetime went by after an Update
  // without the next (expect_registration_kept makes that the finding), or the pull ended (paced
  // to three lifetimes, so it outlasts the refreshes of a device that keeps them); within three transition
  // deadlines (the device may ask smaller blocks). So it lasts as long as the device's own
  // refreshes take. False with a finding when the pull ended other than in State 2 (Downloaded).
  bool await_refreshes(std::uint32_t lifetime, Clock::time_point from, std::size_t wanted) {
    auto pull_ended = [&] {
      const auto states = timeline().values(FirmwareResource::State);
      return !states.empty() && states.back() != to_int(State::Downloading) &&
             std::find(states.begin(), states.end(), to_int(State::Downloading)) != states.end();
    };
    run().loop().await(
        [&] {
          const auto now = Clock::now();
          const auto refreshes = announced_refreshes(lifetime, from, now);
          // Before the announcement the old lifetime still holds: only the pull's end ends the wait.
          return refreshes.size() > wanted ||
                 (!refreshes.empty() && now - refreshes.back() >= std::chrono::seconds(lifetime)) || pull_ended();
        },
        Deadline(3 * session().deadlines().transition));
    const auto states = timeline().values(FirmwareResource::State);
    return !pull_ended() || expect_that(states.back() == to_int(State::Downloaded), "Pull of the slowed package",
                                        "State 1 (Downloading) until State 2 (Downloaded)",
                                        "States " + record::describe_values(states));
  }
  // When the device's Updates came from the one announcing `lifetime` (lt=) on, in [from, to].
  std::vector<Clock::time_point> announced_refreshes(std::uint32_t lifetime, Clock::time_point from,
                                                     Clock::time_point to) {
    std::vector<Clock::time_point> out;
    for (const auto& e : events_between(from, to)) {
      if (e.kind != RegistrationEventKind::Updated) continue;
      if (out.empty() && e.detail.rfind(fmt::format("lt={} ", lifetime), 0) != 0) continue;
      out.push_back(e.time);
    }
    return out;
  }
  // This endpoint's registration events in [from, to].
  std::vector<server::RegistrationEvent> events_between(Clock::time_point from, Clock::time_point to) {
    std::vector<server::RegistrationEvent> out;
    for (const auto& e : run().server().registry().events())
      if (e.endpoint == session().endpoint() && e.time >= from && e.time <= to) out.push_back(e);
    return out;
  }
  // Judges the refreshes: the new lifetime was announced, nothing expired or registered anew,
  // and no stretch between refreshes (or to the end) reached the lifetime.
  void expect_registration_kept(std::uint32_t lifetime, Clock::time_point from, Clock::time_point to) {
    for (const auto& e : events_between(from, to))
      expect_that(e.kind == RegistrationEventKind::Updated && e.answered == code::Changed,
                  fmt::format("Registration at +{:.0f} ms while the lifetime was {} s", millis_since(from, e.time),
                              lifetime),
                  "a Registration Update answered 2.04 Changed",
                  fmt::format("{} {} {}", to_string(e.kind), e.answered.str(), e.detail));
    auto refreshes = announced_refreshes(lifetime, from, to);
    expect_that(!refreshes.empty(), fmt::format("Write {} with {}", lifetime_path().str(), lifetime),
                fmt::format("a Registration Update with lt={}", lifetime), "none");
    if (refreshes.empty()) return;
    refreshes.push_back(to);
    double longest = 0;
    for (std::size_t i = 1; i < refreshes.size(); ++i)
      longest = std::max(longest, millis_since(refreshes[i - 1], refreshes[i]));
    measure("registration refreshes during the download",
            fmt::format("{} Updates; longest gap {:.0f} ms for a lifetime of {} s", refreshes.size() - 1, longest,
                        lifetime));
    expect_that(longest < lifetime * 1000.0, "Registration Updates during the download",
                fmt::format("one within every lifetime of {} s", lifetime),
                fmt::format("{:.0f} ms without one", longest));
  }

  void TearDown() override {
    if (lifetime_before_ && lifetime_path_) {
      auto back = device().write_value(*lifetime_path_, lwm2m::Value(*lifetime_before_));
      if (!back.ok()) measure("lifetime restore", "Write " + lifetime_path_->str() + " = " +
                                                    std::to_string(*lifetime_before_) + ": " + back.describe());
    }
    FotaCase::TearDown();
  }

 private:
  std::optional<std::int64_t> lifetime_before_;
  std::optional<lwm2m::Path> lifetime_path_;
};

// ETS 102 (Write /1/x/1, then Update lt=) with a download running meanwhile (paced to 3 lifetimes);
// the case ends once the device refreshed twice after announcing the lifetime.
// x is the Server instance of the device's Register (/1/0 in the ETS, /1/1 for Anjay).
FOTA_CASE(Lifetime, RegistrationOutlivesALongDownload,
          id("FU-REG-LT-01"), ets(102), level(Level::Must), needs(Capability::PullCoap),
          clause("TS Core 6.2.2 (Update within the lifetime); ETS 102; reference 7.2"),
          requirement("With the shortest lifetime a device can keep (two ACK_TIMEOUTs, else 3 s) written to /1/x/1 (x: the registered Server instance) and a "
                      "pull lasting several lifetimes, the "
                      "device announces the lifetime, sends an Update within every lifetime, and never expires")) {
  const auto image = package();
  std::uint32_t lifetime = 0;
  auto from = Clock::now();  // the Update with the new lt may overtake the Write's answer
  for (auto candidate : short_lifetimes()) {
    lifetime = candidate;
    from = Clock::now();
    auto written = write_lifetime(lifetime);
    if (written.is(code::Changed)) break;
    // A refusal of the shortest is the device's own minimum, no finding; of the last, it is one.
    if (candidate == short_lifetimes().back()) {
      expect_code(written, {code::Changed}, "with " + std::to_string(lifetime));
      return;
    }
    measure("lifetime refused", fmt::format("Write {} with {}: {}", lifetime_path().str(), lifetime, written.describe()));
  }
  auto slowed = publish(image, Scheme::Coap, slowed_to(3 * std::chrono::seconds(lifetime), image.size()));
  if (!expect_code(pull(slowed), {code::Changed})) return;
  if (!await_refreshes(lifetime, from, kRefreshesNeeded)) return;
  const auto to = Clock::now();
  // A lifetime gone by without an Update is judged however short the wait was.
  const auto refreshes = announced_refreshes(lifetime, from, to);
  const bool lapsed = !refreshes.empty() && to - refreshes.back() >= std::chrono::seconds(lifetime);
  if (!lapsed && refreshes.size() <= kRefreshesNeeded && to - from < 2 * std::chrono::seconds(lifetime))
    return inconclusive(fmt::format("the download ended after {:.0f} ms, before {} Updates after the announcing one "
                                    "and under two lifetimes", millis_since(from, to), kRefreshesNeeded));
  expect_registration_kept(lifetime, from, to);
}

}  // namespace
}  // namespace fc::fixtures
