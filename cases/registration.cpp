// Registration and discovery: what the device tells the server about itself (TS Core §6.2).
#include <algorithm>
#include <set>

#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

FOTA_AREA(Registration);

// ETS 101; TS Core §6.2.1: the Register names the endpoint and lists /1 and /3, and /5 for
// a device that can be updated; /0 (Security) is never listed.
FOTA_CASE(Registration, ObjectListAdvertisesFirmwareUpdate,
          id("FU-REG-001"), ets(101), level(Level::Must), clause("TS Core 6.2.1; ETS 101"),
          requirement("The Register object list contains /1, /3 and /5 and does not contain /0")) {
  const auto* reg = run().server().registry().find_by_endpoint(run().endpoint());
  ASSERT_NE(reg, nullptr);
  EXPECT_TRUE(reg->objects.has_object(1)) << "Server object /1 missing from the object list";
  EXPECT_TRUE(reg->objects.has_object(3)) << "Device object /3 missing from the object list";
  EXPECT_TRUE(reg->objects.has_object(5)) << "Firmware Update object /5 missing from the object list";
  EXPECT_FALSE(reg->objects.has_object(0)) << "Security object /0 must not be listed";
}

// TS Core §6.2.1 (ver attribute); reference §0: a device implementing /5 in object version
// 1.1 says so with ver=1.1; without ver the server assumes 1.0.
FOTA_CASE(Registration, FirmwareObjectVersionIsOneTheServerKnows,
          id("FU-REG-002"), level(Level::Must), clause("TS Core 6.2.1 (ver); registry 5-1_0, 5-1_1"),
          requirement("The /5 object version advertised at registration is 1.0, 1.1 or 1.2")) {
  const auto* reg = run().server().registry().find_by_endpoint(run().endpoint());
  ASSERT_NE(reg, nullptr);
  auto version = reg->objects.version_of(5).value_or("1.0");
  EXPECT_TRUE(version == "1.0" || version == "1.1" || version == "1.2") << "ver=" << version;
}

// ETS 652: the Firmware Version of the running image is readable before any update.
FOTA_CASE(Registration, FirmwareVersionIsReadable,
          id("FU-REG-003"), ets(652), level(Level::Must), clause("TS Core E.6; ETS 652"),
          requirement("Read /3/0/3 answers 2.05 with a non-empty Firmware Version")) {
  auto response = device().read(res::FirmwareVersion);
  ASSERT_TRUE(response.ok()) << response.describe();
  auto version = response.value(res::FirmwareVersion);
  ASSERT_TRUE(version.has_value()) << response.describe();
  EXPECT_FALSE(version->as_string().empty());
}

// Issue 5 / reference §4.1: what the vendor declares in the profile must match what the device
// says in /5/0/8 (pull protocols) and /5/0/9 (delivery method); a contradiction is a finding.
FOTA_CASE(Registration, DeclaredCapabilitiesMatchTheDevice,
          id("FU-CAP-001"), level(Level::Should), clause("object 5 resources 8 and 9; reference 4.1"),
          requirement("The profile's declared pull schemes and push support agree with /5/0/8 and /5/0/9")) {
  auto response = device().read(res::Instance);
  ASSERT_TRUE(response.ok()) << response.describe();
  std::set<std::int64_t> listed;
  for (const auto& r : response.records)
    if (res::ProtocolSupport.contains(r.path) && r.path != res::ProtocolSupport) listed.insert(r.value.as_int());
  if (listed.empty()) listed.insert(0);  // absent /5/0/8 means CoAP only (ETS C.8)
  static const std::pair<profile::PullScheme, std::int64_t> codes[] = {
      {profile::PullScheme::Coap, 0}, {profile::PullScheme::Coaps, 1},   {profile::PullScheme::Http, 2},
      {profile::PullScheme::Https, 3}, {profile::PullScheme::CoapTcp, 4}, {profile::PullScheme::CoapsTcp, 5}};
  const auto& declared = profile().capabilities.pull;
  for (auto [scheme, code_value] : codes) {
    bool is_declared = std::find(declared.begin(), declared.end(), scheme) != declared.end();
    EXPECT_EQ(is_declared, listed.count(code_value) == 1)
        << "pull protocol " << code_value << ": the profile " << (is_declared ? "declares" : "does not declare")
        << " it, /5/0/8 " << (listed.count(code_value) ? "lists" : "does not list") << " it";
  }
  auto delivery = response.value(res::DeliveryMethod);
  ASSERT_TRUE(delivery) << "mandatory /5/0/9 missing";
  auto method = delivery->as_int();
  EXPECT_EQ(profile().capabilities.push, method == 1 || method == 2) << "push declared vs /5/0/9 = " << method;
  EXPECT_EQ(!declared.empty(), method == 0 || method == 2) << "pull declared vs /5/0/9 = " << method;
}

}  // namespace
}  // namespace fc::fixtures
