// The Firmware Update object as a resource set: what a Read shows and which operations each
// resource allows (TS Core E.6, reference §1 and §3.3).
#include "fixtures/fota_case.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

FOTA_AREA(FirmwareObject);

// ETS 751: Read /5/0 answers 2.05 with State 0 in Idle, the Update Result the device holds
// (0 on a fresh device; whether a reset clears a stale one is FU-PULL-RESET-756's question),
// and the delivery method.
FOTA_CASE(FirmwareObject, ReadInstanceInIdle,
          id("FU-OBJ-751"), ets(751), level(Level::Must), clause("TS Core E.6; ETS 751"),
          requirement("Read /5/0 in Idle answers 2.05 with State 0, the current Update Result and Delivery Method")) {
  auto response = device().read(res::Instance);
  ASSERT_TRUE(response.ok()) << response.describe();
  ASSERT_FALSE(response.decode_error) << *response.decode_error;
  ASSERT_TRUE(response.value(res::State)) << response.describe();
  EXPECT_EQ(response.value(res::State)->as_int(), state::Idle);
  ASSERT_TRUE(response.value(res::UpdateResult)) << response.describe();
  auto in_read = response.value(res::UpdateResult)->as_int();
  EXPECT_TRUE(in_read >= 0 && in_read <= 9) << "Update Result " << in_read << " outside 0..9";
  expect_result_unchanged();
  ASSERT_TRUE(response.value(res::DeliveryMethod)) << "mandatory resource /5/0/9 missing: " << response.describe();
  auto delivery = response.value(res::DeliveryMethod)->as_int();
  EXPECT_TRUE(delivery >= 0 && delivery <= 2) << "Delivery Method " << delivery;
  EXPECT_FALSE(response.value(res::Package)) << "Package (/5/0/0) is write-only and must not be in a Read";
}

// Reference §3.3 (Wakaama, Anjay; TS 1.0 response table): Package is write-only.
FOTA_CASE(FirmwareObject, ReadOfPackageIsRefused,
          id("FU-OBJ-001"), level(Level::Must), clause("TS Core E.6 (Package: W); reference 3.3"),
          requirement("Read /5/0/0 (write-only Package) answers 4.05 Method Not Allowed")) {
  auto response = device().read(res::Package);
  EXPECT_TRUE(response.is(code::MethodNotAllowed)) << response.describe();
}

// Reference §3.3 (ETS 256 analogue): State is read-only.
FOTA_CASE(FirmwareObject, WriteOfStateIsRefused,
          id("FU-OBJ-002"), level(Level::Must), clause("TS Core E.6 (State: R); ETS 256 analogue"),
          requirement("Write /5/0/3 (read-only State) answers 4.05 and State stays 0")) {
  auto response = device().write_value(res::State, lwm2m::Value(2));
  EXPECT_TRUE(response.is(code::MethodNotAllowed)) << response.describe();
  expect_state(state::Idle);
}

// ETS 772; reference §3.2 rule 3: Update is executable only in Downloaded.
FOTA_CASE(FirmwareObject, UpdateInIdleIsRefused,
          id("FU-SM-772"), ets(772), level(Level::Must), clause("TS Core E.6.1; ETS 772"),
          requirement("Execute /5/0/2 in Idle answers 4.05 and leaves State 0 and Update Result unchanged")) {
  auto response = execute_update();
  EXPECT_TRUE(response.is(code::MethodNotAllowed)) << response.describe();
  expect_state(state::Idle);
  expect_result_unchanged();
}

}  // namespace
}  // namespace fc::fixtures
