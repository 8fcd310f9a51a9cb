#include "suite/lwm2m/registration_params.h"

#include <gtest/gtest.h>

namespace fc::lwm2m {
namespace {

std::string param_error(const std::vector<std::string>& queries) {
  try {
    parse_registration_params(queries);
  } catch (const RegistrationParamError& error) {
    return error.what();
  }
  ADD_FAILURE() << "parsed";
  return "";
}

TEST(RegistrationParams, ParsesEveryKnownKey) {
  const auto params = parse_registration_params(
      {"ep=urn:dev:os:1", "lt=300", "lwm2m=1.1", "b=U", "sms=+15550100", "Q", "apn=iot", "x"});
  EXPECT_EQ(params.endpoint, "urn:dev:os:1");
  EXPECT_EQ(params.lifetime, 300u);
  EXPECT_EQ(params.lwm2m_version, "1.1");
  EXPECT_EQ(params.binding, "U");
  EXPECT_EQ(params.sms, "+15550100");
  EXPECT_TRUE(params.queue_mode);
  EXPECT_EQ(params.unknown, (std::map<std::string, std::optional<std::string>>{
                                {"apn", "iot"}, {"x", std::nullopt}}));
}

TEST(RegistrationParams, UpdateMayCarryNothing) {
  const auto params = parse_registration_params({});
  EXPECT_EQ(params.endpoint, std::nullopt);
  EXPECT_EQ(params.lifetime, std::nullopt);
  EXPECT_FALSE(params.queue_mode);
}

TEST(RegistrationParams, QueueLetterInBindingIsLwm2m10QueueMode) {
  const auto params = parse_registration_params({"ep=dev", "b=UQ"});
  EXPECT_EQ(params.binding, "UQ");
  EXPECT_TRUE(params.queue_mode);
}

TEST(RegistrationParams, LifetimeBounds) {
  EXPECT_EQ(parse_registration_params({"lt=1"}).lifetime, 1u);
  EXPECT_EQ(parse_registration_params({"lt=4294967295"}).lifetime, 4294967295u);
}

TEST(RegistrationParams, Failures) {
  EXPECT_EQ(param_error({"ep=a", "ep=b"}), "Uri-Query 'ep=b': duplicate parameter ep");
  EXPECT_EQ(param_error({"lt=0"}),
            "Uri-Query 'lt=0': lt must be a positive decimal number of seconds that fits 32 bits");
  EXPECT_EQ(param_error({"lt=-1"}),
            "Uri-Query 'lt=-1': lt must be a positive decimal number of seconds that fits 32 bits");
  EXPECT_EQ(
      param_error({"lt=abc"}),
      "Uri-Query 'lt=abc': lt must be a positive decimal number of seconds that fits 32 bits");
  EXPECT_EQ(param_error({"lt=99999999999"}),
            "Uri-Query 'lt=99999999999': lt must be a positive decimal number of seconds that "
            "fits 32 bits");
  EXPECT_EQ(param_error({"lt=4294967296"}),
            "Uri-Query 'lt=4294967296': lt must be a positive decimal number of seconds that "
            "fits 32 bits");
  EXPECT_EQ(param_error({"lt="}),
            "Uri-Query 'lt=': lt must be a positive decimal number of seconds that fits 32 bits");
  EXPECT_EQ(param_error({"lt"}), "Uri-Query 'lt': lt needs a value");
  EXPECT_EQ(param_error({"Q=1"}), "Uri-Query 'Q=1': Q takes no value");
  EXPECT_EQ(param_error({"ep="}), "Uri-Query 'ep=': ep is empty");
  EXPECT_EQ(param_error({"b=UX"}),
            "Uri-Query 'b=UX': b has letter 'X', expected only U T S N Q M H");
  EXPECT_EQ(param_error({"b=u"}), "Uri-Query 'b=u': b has letter 'u', expected only U T S N Q M H");
  EXPECT_EQ(param_error({"b="}), "Uri-Query 'b=': b is empty");
  EXPECT_EQ(param_error({"=x"}), "Uri-Query '=x': empty parameter name");
  EXPECT_EQ(param_error({"apn=a", "apn=b"}), "Uri-Query 'apn=b': duplicate parameter apn");
}

}  // namespace
}  // namespace fc::lwm2m
