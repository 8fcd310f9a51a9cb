// The router against the real /1 /3 /4 objects and a stand-in /5: codes, formats, Discover,
// Write-Attributes, Execute and Package blocks.
#include "refclient/client/request_router.h"

#include <gtest/gtest.h>

#include <type_traits>
#include <variant>

#include "refclient/client/connectivity_object.h"
#include "refclient/client/device_object.h"
#include "refclient/client/server_object.h"
#include "refclient/firmware/mutants.h"
#include "suite/lwm2m/codec.h"
#include "tests/unit/refclient_client/fake_firmware_object.h"

namespace fc::refclient {
namespace {

using lwm2m::Path;

class RequestRouterTest : public ::testing::Test {
 protected:
  RequestRouterTest() {
    for (LwM2MObject* object : std::initializer_list<LwM2MObject*>{&server, &device, &connectivity, &firmware}) {
      objects.add(*object);
    }
  }

  DmResponse request(Method method, Path path, std::optional<std::uint16_t> content_format = std::nullopt,
                     std::string payload = {}, std::optional<std::uint16_t> accept = std::nullopt,
                     std::vector<std::string> queries = {}) {
    DmRequest dm;
    dm.method = method;
    dm.path = std::move(path);
    dm.content_format = content_format;
    dm.accept = accept;
    dm.payload = to_bytes(payload);
    dm.queries = std::move(queries);
    dm.message_id = next_mid++;
    return router.handle(dm);
  }
  DmResponse get(Path path, std::optional<std::uint16_t> accept = std::nullopt) {
    return request(Method::Get, std::move(path), std::nullopt, {}, accept);
  }
  static std::string text(const DmResponse& response) { return to_string(response.payload); }

  std::vector<std::uint32_t> lifetimes;
  int update_triggers = 0;
  int reboots = 0;
  ServerObject server{300, [this](std::uint32_t lt) { lifetimes.push_back(lt); }, [this] { ++update_triggers; }};
  DeviceObject device{DeviceInfo{}, [] { return std::string("1.0.0"); }, [this] { ++reboots; }};
  ConnectivityObject connectivity{ConnectivityInfo{7, {7, 41}, -95, 10, {"127.0.0.1"}}};
  testing::FakeFirmwareObject firmware;
  ObjectRegistry objects;
  AttributeStore attributes;
  RequestRouter router{objects, attributes};
  std::uint16_t next_mid = 1;
};

TEST_F(RequestRouterTest, ReadOfSingleResourceIsTextByDefault) {
  const auto response = get(Path{3, 0, 3});
  EXPECT_EQ(response.code_text(), "2.05");
  EXPECT_EQ(response.content_format, std::optional<std::uint16_t>(0));
  EXPECT_EQ(text(response), "1.0.0");
  EXPECT_EQ(text(get(Path{3, 0, 0})), "fotacheck");
  EXPECT_EQ(text(get(Path{4, 0, 2})), "-95");
}

TEST_F(RequestRouterTest, ReadOfInstanceIsTlvWithReadableResourcesOnly) {
  const auto response = get(Path{3, 0});
  EXPECT_EQ(response.code_text(), "2.05");
  EXPECT_EQ(response.content_format, std::optional<std::uint16_t>(11542));
  const auto records = lwm2m::decode_tlv(Path{3, 0}, response.payload);
  std::vector<std::string> paths;
  for (const auto& record : records) paths.push_back(record.path.str());
  EXPECT_EQ(paths, (std::vector<std::string>{"/3/0/0", "/3/0/1", "/3/0/2", "/3/0/3", "/3/0/11/0", "/3/0/13",
                                             "/3/0/16"}));
  EXPECT_EQ(records[0].value.as_string(), "fotacheck");
}

TEST_F(RequestRouterTest, ReadOfMultipleResourceIsTlvAndItsInstancesAreText) {
  const auto all = get(Path{4, 0, 1});
  EXPECT_EQ(all.content_format, std::optional<std::uint16_t>(11542));
  const auto records = lwm2m::decode_tlv(Path{4, 0, 1}, all.payload);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].path, (Path{4, 0, 1, 1}));
  EXPECT_EQ(records[1].value.as_int(), 41);
  EXPECT_EQ(text(get(Path{4, 0, 4, 0})), "127.0.0.1");
  EXPECT_EQ(get(Path{4, 0, 4, 3}).code_text(), "4.04");
  EXPECT_EQ(get(Path{4, 0, 1}, 0).code_text(), "4.06");
}

TEST_F(RequestRouterTest, UnknownPathsAreNotFound) {
  EXPECT_EQ(get(Path{9}).code_text(), "4.04");
  EXPECT_EQ(get(Path{3, 1}).code_text(), "4.04");
  EXPECT_EQ(get(Path{3, 0, 99}).code_text(), "4.04");
  EXPECT_EQ(get(Path{3, 0, 0, 0}).code_text(), "4.04");
  EXPECT_EQ(get(Path{}).code_text(), "4.04");
  EXPECT_EQ(request(Method::Delete, Path{7}).code_text(), "4.04");
}

TEST_F(RequestRouterTest, ReadOfExecutableOrWriteOnlyResourceIsMethodNotAllowed) {
  EXPECT_EQ(get(Path{3, 0, 4}).code_text(), "4.05");
  EXPECT_EQ(get(Path{5, 0, 0}).code_text(), "4.05");
  EXPECT_EQ(get(Path{5, 0, 2}).code_text(), "4.05");
}

TEST_F(RequestRouterTest, UnsupportedAcceptIsNotAcceptable) {
  EXPECT_EQ(get(Path{3, 0, 0}, 60).code_text(), "4.06");
  EXPECT_EQ(get(Path{3, 0}, 11544).code_text(), "4.06");  // LwM2M CBOR is a 1.2 format
  EXPECT_EQ(get(Path{3, 0}, 0).code_text(), "4.06");
  EXPECT_EQ(get(Path{3, 0, 0}, 11542).code_text(), "2.05");
}

TEST_F(RequestRouterTest, WriteOfReadOnlyResourceIsMethodNotAllowed) {
  EXPECT_EQ(request(Method::Put, Path{3, 0, 0}, 0, "x").code_text(), "4.05");
  EXPECT_EQ(request(Method::Put, Path{5, 0, 3}, 0, "2").code_text(), "4.05");
  EXPECT_EQ(request(Method::Put, Path{3}, 11542, "x").code_text(), "4.05");
}

TEST_F(RequestRouterTest, WriteOfLifetimeIsStoredAndReported) {
  EXPECT_EQ(request(Method::Put, Path{1, 0, 1}, 0, "120").code_text(), "2.04");
  EXPECT_EQ(lifetimes, (std::vector<std::uint32_t>{120}));
  EXPECT_EQ(text(get(Path{1, 0, 1})), "120");
}

TEST_F(RequestRouterTest, WriteWithBadPayloadOrFormatIsRejected) {
  EXPECT_EQ(request(Method::Put, Path{1, 0, 1}, 0, "abc").code_text(), "4.00");
  EXPECT_EQ(request(Method::Put, Path{1, 0, 1}, 0, "0").code_text(), "4.00");
  EXPECT_EQ(request(Method::Put, Path{1, 0, 1}, 60, "\x18\x78").code_text(), "4.15");
  EXPECT_TRUE(lifetimes.empty());
}

TEST_F(RequestRouterTest, PartialUpdateOfInstanceWritesEachResource) {
  const auto payload = lwm2m::encode_tlv(Path{1, 0}, {{Path{1, 0, 1}, lwm2m::Value(90)}});
  EXPECT_EQ(request(Method::Post, Path{1, 0}, 11542, to_string(payload)).code_text(), "2.04");
  EXPECT_EQ(lifetimes, (std::vector<std::uint32_t>{90}));
}

TEST_F(RequestRouterTest, InstanceWriteWithReadOnlyResourceChangesNothing) {
  const auto payload = lwm2m::encode_tlv(Path{1, 0}, {{Path{1, 0, 1}, lwm2m::Value(90)}, {Path{1, 0, 0}, lwm2m::Value(2)}});
  EXPECT_EQ(request(Method::Post, Path{1, 0}, 11542, to_string(payload)).code_text(), "4.05");
  EXPECT_TRUE(lifetimes.empty());
}

TEST_F(RequestRouterTest, ExecuteRunsExecutablesWithArguments) {
  EXPECT_EQ(request(Method::Post, Path{1, 0, 8}).code_text(), "2.04");
  EXPECT_EQ(update_triggers, 1);
  EXPECT_EQ(request(Method::Post, Path{3, 0, 4}).code_text(), "2.04");
  EXPECT_EQ(reboots, 1);
  EXPECT_EQ(request(Method::Post, Path{5, 0, 2}, std::nullopt, "0='now'").code_text(), "2.04");
  EXPECT_EQ(firmware.executed_with, (std::vector<std::string>{"0='now'"}));
}

TEST_F(RequestRouterTest, ExecuteOfNonExecutableIsMethodNotAllowed) {
  EXPECT_EQ(request(Method::Post, Path{3, 0, 0}).code_text(), "4.05");
  EXPECT_EQ(request(Method::Post, Path{5, 0, 3}).code_text(), "4.05");
  EXPECT_EQ(request(Method::Post, Path{3}).code_text(), "4.05");
}

// delete-instance-accepted, read by the router: Delete /5/0 (and only /5/0) is answered 2.02.
TEST_F(RequestRouterTest, DeleteInstanceAcceptedMutantAnswersOnlyDeleteOf5_0) {
  RequestRouter mutated{objects, attributes, default_formats("1.1"), {std::string(mutant::kDeleteInstanceAccepted)}};
  DmRequest dm;
  dm.method = Method::Delete;
  dm.path = Path{5, 0};
  EXPECT_EQ(mutated.handle(dm).code_text(), "2.02");
  EXPECT_EQ(router.handle(dm).code_text(), "4.05");
  dm.path = Path{3, 0};
  EXPECT_EQ(mutated.handle(dm).code_text(), "4.05");
}

TEST_F(RequestRouterTest, DeleteIsMethodNotAllowed) {
  EXPECT_EQ(request(Method::Delete, Path{3, 0}).code_text(), "4.05");
  EXPECT_EQ(request(Method::Delete, Path{5, 0}).code_text(), "4.05");
}

TEST_F(RequestRouterTest, DiscoverOfObjectListsInstancesResourcesAndDim) {
  const auto response = get(Path{3}, 40);
  EXPECT_EQ(response.code_text(), "2.05");
  EXPECT_EQ(response.content_format, std::optional<std::uint16_t>(40));
  EXPECT_EQ(text(response),
            "</3>,</3/0>,</3/0/0>,</3/0/1>,</3/0/2>,</3/0/3>,</3/0/4>,</3/0/11>;dim=1,</3/0/13>,</3/0/16>");
  EXPECT_EQ(text(get(Path{5}, 40)), "</5>;ver=1.1,</5/0>,</5/0/0>,</5/0/1>,</5/0/2>,</5/0/3>");
}

TEST_F(RequestRouterTest, WriteAttributesAreStoredAndShownByDiscover) {
  const auto written = request(Method::Put, Path{5, 0}, std::nullopt, {}, std::nullopt, {"pmin=2", "pmax=10"});
  EXPECT_EQ(written.code_text(), "2.04");
  EXPECT_EQ(text(get(Path{5, 0}, 40)), "</5/0>;pmin=2;pmax=10,</5/0/0>,</5/0/1>,</5/0/2>,</5/0/3>");
  EXPECT_EQ(attributes.effective(Path{5, 0, 3}).pmax, std::optional<std::uint32_t>(10));
  EXPECT_EQ(request(Method::Put, Path{5, 0}, std::nullopt, {}, std::nullopt, {"pmin=x"}).code_text(), "4.00");
  EXPECT_EQ(request(Method::Put, Path{8, 0}, std::nullopt, {}, std::nullopt, {"pmin=1"}).code_text(), "4.04");
}

TEST_F(RequestRouterTest, PackageBlocksGoToTheObjectOneByOne) {
  DmRequest block;
  block.method = Method::Put;
  block.path = Path{5, 0, 0};
  block.content_format = 42;
  block.block1 = BlockOption{0, true, 4};
  block.payload = Bytes(256, 1);
  block.message_id = 50;
  const auto first = router.handle(block);
  EXPECT_EQ(first.code_text(), "2.31");
  EXPECT_EQ(first.block1, (BlockOption{0, true, 4}));
  block.block1 = BlockOption{1, false, 4};
  block.payload = Bytes(3, 2);
  block.message_id = 51;
  EXPECT_EQ(router.handle(block).code_text(), "2.04");
  ASSERT_EQ(firmware.blocks.size(), 2u);
  EXPECT_EQ(firmware.blocks[1].offset, 256u);
  EXPECT_EQ(firmware.blocks[1].size, 3u);
  EXPECT_FALSE(firmware.blocks[1].more);
}

TEST_F(RequestRouterTest, PackageInTextIsUnsupportedContentFormat) {
  EXPECT_EQ(request(Method::Put, Path{5, 0, 0}, 0, "abc").code_text(), "4.15");
  EXPECT_TRUE(firmware.blocks.empty());
}

TEST_F(RequestRouterTest, PackageWrittenWithPostIsTakenAsWrite) {
  EXPECT_EQ(request(Method::Post, Path{5, 0, 0}, 42, std::string(1, '\0')).code_text(), "2.04");
  ASSERT_EQ(firmware.blocks.size(), 1u);
  EXPECT_EQ(firmware.blocks[0].size, 1u);
}

TEST_F(RequestRouterTest, RenderUsesTheSnapshotWhenGiven) {
  firmware.state = 2;
  const lwm2m::Records snapshot{{Path{5, 0, 3}, lwm2m::Value(1)}};
  EXPECT_EQ(text(router.render(Path{5, 0, 3}, std::nullopt, &snapshot)), "1");
  EXPECT_EQ(text(router.render(Path{5, 0, 3}, std::nullopt)), "2");
  EXPECT_EQ(router.snapshot(Path{5, 0, 3}), (lwm2m::Records{{Path{5, 0, 3}, lwm2m::Value(2)}}));
  EXPECT_EQ(router.snapshot(Path{5, 0, 2}), std::nullopt);
}

// Reads and writes in the formats for several values, each as the suite's codecs read them.
class RequestRouterFormatsTest : public RequestRouterTest {
 protected:
  DmResponse send(RequestRouter& to, Method method, Path path, std::optional<std::uint16_t> content_format,
                  Bytes payload, std::optional<std::uint16_t> accept = std::nullopt) {
    DmRequest dm;
    dm.method = method;
    dm.path = std::move(path);
    dm.content_format = content_format;
    dm.accept = accept;
    dm.payload = std::move(payload);
    dm.message_id = next_mid++;
    return to.handle(dm);
  }
  static std::uint16_t number(lwm2m::ContentFormat format) { return static_cast<std::uint16_t>(format); }
  // An untyped value (TLV, LwM2M JSON) read as the type of `typed`, printed.
  static std::string read_as(const lwm2m::Value& untyped, const lwm2m::Value& typed) {
    return std::visit(
        [&](const auto& v) -> std::string {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(untyped.as_int());
          if constexpr (std::is_same_v<T, std::uint64_t>) return std::to_string(untyped.as_uint());
          if constexpr (std::is_same_v<T, bool>) return untyped.as_bool() ? "true" : "false";
          if constexpr (std::is_same_v<T, std::string>) return untyped.as_string();
          return untyped.describe();
        },
        typed.storage());
  }

  RequestRouter every_format{objects, attributes, supported_formats()};
};

TEST_F(RequestRouterFormatsTest, InstanceReadInEveryFormatCarriesTheLiveValues) {
  firmware.state = 2;
  const auto expected = every_format.snapshot(Path{5, 0});
  ASSERT_TRUE(expected.has_value());
  for (const auto format : {lwm2m::ContentFormat::SenmlJson, lwm2m::ContentFormat::SenmlCbor,
                            lwm2m::ContentFormat::LwM2mCbor}) {
    const auto response = send(every_format, Method::Get, Path{5, 0}, std::nullopt, {}, number(format));
    ASSERT_EQ(response.code_text(), "2.05") << lwm2m::to_string(format) << ": " << text(response);
    EXPECT_EQ(response.content_format, number(format));
    EXPECT_EQ(lwm2m::decode(format, Path{5, 0}, response.payload), *expected) << lwm2m::to_string(format);
  }
  // LwM2M JSON and TLV carry no types: compare the values read as the resource types.
  for (const auto format : {lwm2m::ContentFormat::LwM2mJson, lwm2m::ContentFormat::Tlv}) {
    const auto response = send(every_format, Method::Get, Path{5, 0}, std::nullopt, {}, number(format));
    ASSERT_EQ(response.code_text(), "2.05") << lwm2m::to_string(format);
    const auto records = lwm2m::decode(format, Path{5, 0}, response.payload);
    ASSERT_EQ(records.size(), expected->size()) << lwm2m::to_string(format);
    for (std::size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].path, (*expected)[i].path);
      EXPECT_EQ(read_as(records[i].value, (*expected)[i].value), read_as((*expected)[i].value, (*expected)[i].value))
          << lwm2m::to_string(format) << " " << records[i].path.str();
    }
  }
}

TEST_F(RequestRouterFormatsTest, DeviceInstanceReadInSenmlJsonNamesEveryResource) {
  const auto response = send(every_format, Method::Get, Path{3, 0}, std::nullopt, {}, 110);
  ASSERT_EQ(response.code_text(), "2.05");
  const auto records = lwm2m::decode_senml_json(Path{3, 0}, response.payload);
  std::vector<std::string> paths;
  for (const auto& record : records) paths.push_back(record.path.str());
  EXPECT_EQ(paths, (std::vector<std::string>{"/3/0/0", "/3/0/1", "/3/0/2", "/3/0/3", "/3/0/11/0", "/3/0/13",
                                             "/3/0/16"}));
  EXPECT_EQ(records[3].value, lwm2m::Value(std::string("1.0.0")));
}

TEST_F(RequestRouterFormatsTest, SingleResourceReadAndNotificationInEveryFormat) {
  firmware.state = 1;
  const lwm2m::Records snapshot{{Path{5, 0, 3}, lwm2m::Value(3)}};
  for (const auto format : supported_formats()) {
    const auto read = send(every_format, Method::Get, Path{5, 0, 3}, std::nullopt, {}, number(format));
    ASSERT_EQ(read.code_text(), "2.05") << lwm2m::to_string(format);
    EXPECT_EQ(read.content_format, number(format));
    const auto live = lwm2m::decode(format, Path{5, 0, 3}, read.payload);
    ASSERT_EQ(live.size(), 1u) << lwm2m::to_string(format);
    EXPECT_EQ(live[0].value.as_int(), 1) << lwm2m::to_string(format);

    const auto notified = every_format.render(Path{5, 0, 3}, number(format), &snapshot);
    EXPECT_EQ(notified.content_format, number(format));
    const auto kept = lwm2m::decode(format, Path{5, 0, 3}, notified.payload);
    ASSERT_EQ(kept.size(), 1u) << lwm2m::to_string(format);
    EXPECT_EQ(kept[0].value.as_int(), 3) << lwm2m::to_string(format);
  }
}

TEST_F(RequestRouterFormatsTest, WritesInEveryFormatReachTheResource) {
  std::vector<std::uint32_t> expected;
  std::int64_t lifetime = 100;
  for (const auto format : supported_formats()) {
    ++lifetime;
    const auto one = lwm2m::encode(format, Path{1, 0, 1}, {{Path{1, 0, 1}, lwm2m::Value(lifetime)}});
    EXPECT_EQ(send(every_format, Method::Put, Path{1, 0, 1}, number(format), one).code_text(), "2.04")
        << lwm2m::to_string(format);
    expected.push_back(static_cast<std::uint32_t>(lifetime));
    ++lifetime;
    const auto partial = lwm2m::encode(format, Path{1, 0}, {{Path{1, 0, 1}, lwm2m::Value(lifetime)}});
    EXPECT_EQ(send(every_format, Method::Post, Path{1, 0}, number(format), partial).code_text(), "2.04")
        << lwm2m::to_string(format);
    expected.push_back(static_cast<std::uint32_t>(lifetime));
  }
  EXPECT_EQ(lifetimes, expected);
}

TEST_F(RequestRouterFormatsTest, PackageInOneStructuredMessageIsOneWholeBlock) {
  const Bytes package{0x00, 0x01, 0xfe, 0xff, 0x80};
  for (const auto format : supported_formats()) {
    firmware.blocks.clear();
    const auto payload = lwm2m::encode(format, Path{5, 0, 0}, {{Path{5, 0, 0}, lwm2m::Value(package)}});
    EXPECT_EQ(send(every_format, Method::Put, Path{5, 0, 0}, number(format), payload).code_text(), "2.04")
        << lwm2m::to_string(format);
    ASSERT_EQ(firmware.blocks.size(), 1u) << lwm2m::to_string(format);
    EXPECT_EQ(firmware.blocks[0].size, package.size()) << lwm2m::to_string(format);
    EXPECT_FALSE(firmware.blocks[0].more);
  }
}

TEST_F(RequestRouterFormatsTest, FormatsNotGivenAreRefusedAndTheFirstGivenIsTheDefault) {
  RequestRouter tlv_only{objects, attributes, {lwm2m::ContentFormat::Tlv}};
  EXPECT_EQ(send(tlv_only, Method::Get, Path{5, 0}, std::nullopt, {}, 110).code_text(), "4.06");
  EXPECT_EQ(send(tlv_only, Method::Get, Path{5, 0, 3}, std::nullopt, {}, 112).code_text(), "4.06");
  const auto senml = lwm2m::encode_senml_json(Path{1, 0, 1}, {{Path{1, 0, 1}, lwm2m::Value(90)}});
  EXPECT_EQ(send(tlv_only, Method::Put, Path{1, 0, 1}, 110, senml).code_text(), "4.15");
  EXPECT_TRUE(lifetimes.empty());
  EXPECT_EQ(send(tlv_only, Method::Get, Path{5, 0}, std::nullopt, {}).content_format, std::optional<std::uint16_t>(11542));

  RequestRouter cbor_first{objects, attributes, {lwm2m::ContentFormat::SenmlCbor, lwm2m::ContentFormat::Tlv}};
  EXPECT_EQ(send(cbor_first, Method::Get, Path{5, 0}, std::nullopt, {}).content_format, std::optional<std::uint16_t>(112));
  EXPECT_EQ(send(cbor_first, Method::Get, Path{5, 0, 3}, std::nullopt, {}).content_format, std::optional<std::uint16_t>(0));
}

TEST_F(RequestRouterFormatsTest, UndecodablePayloadIsBadRequestNamingFormatAndOffset) {
  const auto answer = send(every_format, Method::Put, Path{1, 0, 1}, 112, Bytes{0x81, 0xa1, 0x02});
  EXPECT_EQ(answer.code_text(), "4.00");
  EXPECT_NE(text(answer).find("application/senml+cbor (112) at byte"), std::string::npos) << text(answer);
}

}  // namespace
}  // namespace fc::refclient
