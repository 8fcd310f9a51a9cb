// Registration and discovery: what the device tells the server about itself (TS Core §6.2).
#include <algorithm>
#include <set>

#include "fixtures/fota_case.h"
#include "suite/profile/names.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

class Registration : public FotaCase {
 protected:
  // The device's registration with the server; nullptr with a finding when there is none.
  const server::Registration* registration() {
    const auto* reg = run().server().registry().find_by_endpoint(session().endpoint());
    expect_that(reg != nullptr, "Registration of " + session().endpoint(), "a registration with the server", "none");
    return reg;
  }
  // `object` is in the Register object list (or, with `listed` false, is not).
  void expect_listed(const server::Registration& reg, std::uint16_t object, std::string name, bool listed = true) {
    std::string objects;
    for (const auto& link : reg.objects.objects) objects += (objects.empty() ? "<" : ",<") + link.path.str() + ">";
    expect_that(reg.objects.has_object(object) == listed, "Register object list of " + reg.endpoint,
                "/" + std::to_string(object) + " (" + name + ")" + (listed ? " listed" : " not listed"),
                objects.empty() ? "an empty list" : objects);
  }
  // /5/0/8 (from a Read of /5/0) lists a pull protocol exactly when the profile declares it.
  void expect_pull_protocols_match(const server::DmResponse& instance) {
    std::set<std::int64_t> listed;
    for (const auto& r : instance.records)
      if (res::ProtocolSupport.contains(r.path) && r.path != res::ProtocolSupport) listed.insert(r.value.as_int());
    if (listed.empty()) listed.insert(0);  // absent /5/0/8 means CoAP only (ETS C.8)
    static const std::pair<profile::PullScheme, std::int64_t> codes[] = {
        {profile::PullScheme::Coap, 0}, {profile::PullScheme::Coaps, 1},   {profile::PullScheme::Http, 2},
        {profile::PullScheme::Https, 3}, {profile::PullScheme::CoapTcp, 4}, {profile::PullScheme::CoapsTcp, 5}};
    const auto& declared = profile().capabilities.pull;
    for (auto [scheme, code_value] : codes) {
      const bool is_declared = std::find(declared.begin(), declared.end(), scheme) != declared.end();
      const bool is_listed = listed.count(code_value) == 1;
      const auto protocol =
          "pull protocol " + std::to_string(code_value) + " (" + std::string(profile::to_string(scheme)) + ")";
      expect_that(is_declared == is_listed, "Read /5/0/8 (Protocol Support)",
                  protocol + (is_declared ? " listed, as the profile declares it"
                                          : " not listed, as the profile does not declare it"),
                  is_listed ? "listed" : "not listed");
    }
  }
  // /5/0/9 says push (1 or 2) exactly when the profile declares push, and pull (0 or 2) exactly
  // when it declares a pull scheme.
  void expect_delivery_method_matches(std::int64_t method) {
    const bool push = profile().capabilities.push, pull = !profile().capabilities.pull.empty();
    const auto observed = "Delivery Method " + std::to_string(method);
    expect_that(push == (method == 1 || method == 2), "Read /5/0/9 (Delivery Method)",
                push ? "1 (push) or 2 (both), as the profile declares push"
                     : "no push (0), as the profile declares none",
                observed);
    expect_that(pull == (method == 0 || method == 2), "Read /5/0/9 (Delivery Method)",
                pull ? "0 (pull) or 2 (both), as the profile declares pull schemes"
                     : "no pull (1), as the profile declares none",
                observed);
  }
};

// ETS 101; TS Core §6.2.1: the Register names the endpoint and lists /1 and /3, and /5 for
// a device that can be updated; /0 (Security) is never listed.
FOTA_CASE(Registration, ObjectListAdvertisesFirmwareUpdate,
          id("FU-REG-001"), ets(101), level(Level::Must), clause("TS Core 6.2.1; ETS 101"),
          requirement("The Register object list contains /1, /3 and /5 and does not contain /0")) {
  const auto* reg = registration();
  if (!reg) return;
  expect_listed(*reg, 1, "Server");
  expect_listed(*reg, 3, "Device");
  expect_listed(*reg, 5, "Firmware Update");
  expect_listed(*reg, 0, "Security", false);
}

// TS Core §6.2.1 (ver attribute); reference §0: a device implementing /5 in object version
// 1.1 says so with ver=1.1; without ver the server assumes 1.0.
FOTA_CASE(Registration, FirmwareObjectVersionIsOneTheServerKnows,
          id("FU-REG-002"), level(Level::Must), clause("TS Core 6.2.1 (ver); registry 5-1_0, 5-1_1"),
          requirement("The /5 object version advertised at registration is 1.0, 1.1 or 1.2")) {
  const auto* reg = registration();
  if (!reg) return;
  auto version = reg->objects.version_of(5).value_or("1.0");
  expect_that(version == "1.0" || version == "1.1" || version == "1.2", "Register object list, ver of </5>",
              "1.0, 1.1 or 1.2", "ver=" + version);
}

// ETS 652: the Firmware Version of the running image is readable before any update.
FOTA_CASE(Registration, FirmwareVersionIsReadable,
          id("FU-REG-003"), ets(652), level(Level::Must), clause("TS Core E.6; ETS 652"),
          requirement("Read /3/0/3 answers 2.05 with a non-empty Firmware Version")) {
  auto version = read_value(res::FirmwareVersion);
  if (!version) return;
  expect_that(!version->as_string().empty(), "Read /3/0/3 (Firmware Version)", "a non-empty Firmware Version",
              "an empty string");
}

// Issue 5 / reference §4.1: what the vendor declares in the profile must match what the device
// says in /5/0/8 (pull protocols) and /5/0/9 (delivery method); a contradiction is a finding.
FOTA_CASE(Registration, DeclaredCapabilitiesMatchTheDevice,
          id("FU-CAP-001"), level(Level::Should), clause("object 5 resources 8 and 9; reference 4.1"),
          requirement("The profile's declared pull schemes and push support agree with /5/0/8 and /5/0/9")) {
  auto response = device().read(res::Instance);
  if (!expect_code(response, {code::Content})) return;
  expect_pull_protocols_match(response);
  auto delivery = response.value(res::DeliveryMethod);
  if (!expect_that(delivery.has_value(), "Read /5/0", "Delivery Method /5/0/9 (mandatory) in the answer", "no /5/0/9"))
    return;
  expect_delivery_method_matches(delivery->as_int());
}

}  // namespace
}  // namespace fc::fixtures
