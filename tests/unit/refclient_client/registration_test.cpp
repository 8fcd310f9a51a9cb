// Register contents and the Register/Update/De-register schedule.
#include "refclient/client/registration.h"

#include <gtest/gtest.h>

#include "refclient/client/connectivity_object.h"
#include "refclient/client/device_object.h"
#include "refclient/client/server_object.h"
#include "tests/unit/refclient_client/fake_firmware_object.h"

namespace fc::refclient {
namespace {

using namespace std::chrono_literals;
using Kind = RegistrationRequest::Kind;

TEST(RegistrationPayloadTest, QueriesCarryEndpointLifetimeVersionAndBinding) {
  EXPECT_EQ(register_queries({"dev-1", 60, "1.1", "U"}),
            (std::vector<std::string>{"ep=dev-1", "lt=60", "lwm2m=1.1", "b=U"}));
}

TEST(RegistrationPayloadTest, ObjectListHasRootCtAndVersionedFirmwareObject) {
  ServerObject server{60, nullptr, nullptr};
  DeviceObject device{DeviceInfo{}, [] { return std::string("1.0.0"); }, nullptr};
  ConnectivityObject connectivity{ConnectivityInfo{}};
  testing::FakeFirmwareObject firmware;  // version 1.1
  ObjectRegistry objects;
  for (LwM2MObject* object : std::initializer_list<LwM2MObject*>{&server, &device, &connectivity, &firmware}) {
    objects.add(*object);
  }
  EXPECT_EQ(registration_payload("1.1", objects),
            "</>;rt=\"oma.lwm2m\";ct=\"110 112 11542 11543\",</1/0>,</3/0>,</4/0>,</5>;ver=1.1,</5/0>");
  EXPECT_EQ(registration_payload("1.2", objects),
            "</>;rt=\"oma.lwm2m\";ct=\"110 112 11542 11543 11544\",</1/0>,</3/0>,</4/0>,</5>;ver=1.1,</5/0>");
  EXPECT_EQ(registration_payload("1.1", objects, {lwm2m::ContentFormat::Tlv}),
            "</>;rt=\"oma.lwm2m\";ct=11542,</1/0>,</3/0>,</4/0>,</5>;ver=1.1,</5/0>");
  EXPECT_EQ(registration_payload("1.0", objects), "</>;rt=\"oma.lwm2m\",</1/0>,</3/0>,</4/0>,</5>;ver=1.1,</5/0>");
}

TEST(RegistrationMachineTest, UpdateDelayIsHalfTheLifetimeAndAtLeastOneSecondBeforeExpiry) {
  EXPECT_EQ(RegistrationMachine::update_delay(60), 30s);
  EXPECT_EQ(RegistrationMachine::update_delay(2), 1s);
  EXPECT_EQ(RegistrationMachine::update_delay(1), 250ms);
}

TEST(RegistrationMachineTest, BackoffDoublesUpToTenSeconds) {
  EXPECT_EQ(RegistrationMachine::backoff(1), 1s);
  EXPECT_EQ(RegistrationMachine::backoff(2), 2s);
  EXPECT_EQ(RegistrationMachine::backoff(4), 8s);
  EXPECT_EQ(RegistrationMachine::backoff(5), 10s);
  EXPECT_EQ(RegistrationMachine::backoff(40), 10s);
}

TEST(RegistrationMachineTest, RegistersThenUpdatesAtHalfLifetime) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine machine(20);
  const auto first = machine.next_request(t0);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->kind, Kind::Register);
  EXPECT_EQ(machine.next_request(t0), std::nullopt);  // waiting for the answer
  machine.registered("rd/1", t0);
  EXPECT_EQ(machine.state(), RegistrationState::Registered);
  EXPECT_EQ(machine.location(), "rd/1");
  EXPECT_EQ(machine.next_request(t0 + 9s), std::nullopt);
  const auto update = machine.next_request(t0 + 10s);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->kind, Kind::Update);
  EXPECT_EQ(update->lifetime, std::nullopt);
  machine.updated(t0 + 10s);
  EXPECT_EQ(machine.next_wakeup(), t0 + 20s);
}

TEST(RegistrationMachineTest, FailedUpdateRegistersAgainAtOnce) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine machine(20);
  machine.next_request(t0);
  machine.registered("rd/1", t0);
  machine.next_request(t0 + 10s);
  machine.update_failed(t0 + 11s);
  const auto again = machine.next_request(t0 + 11s);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->kind, Kind::Register);
}

TEST(RegistrationMachineTest, FailedRegisterRetriesWithBackoff) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine machine(20);
  machine.next_request(t0);
  machine.register_failed(t0);
  EXPECT_EQ(machine.next_request(t0 + 999ms), std::nullopt);
  ASSERT_TRUE(machine.next_request(t0 + 1s).has_value());
  machine.register_failed(t0 + 1s);
  EXPECT_EQ(machine.next_wakeup(), t0 + 3s);
}

// A Register that fails while the client is stopping (a DTLS session lost, then SIGTERM): the
// machine wants a De-register at once (time_point::min()), and the delay logged for the next
// attempt is zero, not min() - now (a signed overflow UBSan reported).
TEST(RegistrationMachineTest, TimeUntilWakeupNeverOverflows) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine machine(20);
  machine.next_request(t0);
  machine.request_deregister();
  machine.register_failed(t0);
  EXPECT_EQ(machine.next_wakeup(), Clock::time_point::min());
  EXPECT_EQ(machine.time_until_wakeup(t0), Clock::duration::zero());

  RegistrationMachine retrying(20);
  retrying.next_request(t0);
  retrying.register_failed(t0);
  EXPECT_EQ(retrying.time_until_wakeup(t0), 1s);
  EXPECT_EQ(retrying.time_until_wakeup(t0 + 5s), Clock::duration::zero());
  retrying.next_request(t0 + 5s);  // Registering: nothing due until its outcome
  EXPECT_EQ(retrying.time_until_wakeup(t0 + 5s), Clock::time_point::max() - (t0 + 5s));
}

TEST(RegistrationMachineTest, LifetimeWriteAndTriggerSendAnUpdateNow) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine machine(20);
  machine.next_request(t0);
  machine.registered("rd/1", t0);
  machine.request_update(45);
  const auto update = machine.next_request(t0 + 1s);
  ASSERT_TRUE(update.has_value());
  EXPECT_EQ(update->kind, Kind::Update);
  EXPECT_EQ(update->lifetime, std::optional<std::uint32_t>(45));
  machine.updated(t0 + 1s);
  EXPECT_EQ(machine.lifetime(), 45u);
  machine.request_update();
  const auto triggered = machine.next_request(t0 + 2s);
  ASSERT_TRUE(triggered.has_value());
  EXPECT_EQ(triggered->lifetime, std::nullopt);
}

TEST(RegistrationMachineTest, DeregisterOnlyWhenRegistered) {
  const auto t0 = Clock::time_point{} + 100s;
  RegistrationMachine registered(20);
  registered.next_request(t0);
  registered.registered("rd/7", t0);
  registered.request_deregister();
  const auto request = registered.next_request(t0);
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->kind, Kind::Deregister);
  registered.deregistered();
  EXPECT_EQ(registered.state(), RegistrationState::Deregistered);

  RegistrationMachine unregistered(20);
  unregistered.request_deregister();
  EXPECT_EQ(unregistered.next_request(t0), std::nullopt);
  EXPECT_EQ(unregistered.state(), RegistrationState::Deregistered);
}

}  // namespace
}  // namespace fc::refclient
