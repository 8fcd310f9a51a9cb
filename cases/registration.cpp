// Registration and discovery: what the device tells the server about itself (TS Core §6.2).
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

}  // namespace
}  // namespace fc::fixtures
