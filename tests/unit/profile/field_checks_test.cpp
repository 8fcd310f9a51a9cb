// The single-value checks behind the schema: placeholders, addresses, names, variants.
#include <gtest/gtest.h>

#include "suite/profile/field_checks.h"

namespace fc::profile {
namespace {

TEST(ProfileFieldChecks, PlaceholdersMustBeKnownButShellCodeIsLeftAlone) {
  EXPECT_EQ(placeholder_problem("ep-{run}-{case}", endpoint_placeholders()), std::nullopt);
  EXPECT_EQ(placeholder_problem("${HOME}/{workdir} { echo; } {A}", command_placeholders()),
            std::nullopt);
  EXPECT_EQ(placeholder_problem("{run", endpoint_placeholders()), std::nullopt);
  EXPECT_EQ(placeholder_problem("ep-{endpoint}", endpoint_placeholders()),
            "unknown placeholder {endpoint}; known: {run}, {case}");
}

TEST(ProfileFieldChecks, Addresses) {
  EXPECT_TRUE(is_ip_address("127.0.0.1"));
  EXPECT_TRUE(is_ip_address("::1"));
  EXPECT_FALSE(is_ip_address("localhost"));
  EXPECT_FALSE(is_ip_address("127.0.0.256"));
  EXPECT_TRUE(is_host("fota-repo.example.com"));
  EXPECT_TRUE(is_host("fe80::1"));
  EXPECT_FALSE(is_host("repo..example"));
  EXPECT_FALSE(is_host("repo:8080"));
  EXPECT_FALSE(is_host(""));
}

TEST(ProfileFieldChecks, EnvironmentNamesAndVariants) {
  EXPECT_TRUE(is_env_name("FOTA_PSK_KEY"));
  EXPECT_TRUE(is_env_name("_x1"));
  EXPECT_FALSE(is_env_name("1KEY"));
  EXPECT_FALSE(is_env_name("MY-KEY"));
  EXPECT_TRUE(is_package_variant("fails-first-boot"));
  EXPECT_TRUE(is_package_variant("force-error:1"));
  EXPECT_FALSE(is_package_variant("force-error:"));
  EXPECT_FALSE(is_package_variant("Force Error"));
  EXPECT_FALSE(is_package_variant("-x"));
}

TEST(ProfileFieldChecks, RegexProblemsAreReported) {
  EXPECT_EQ(regex_problem("dev-[0-9]+"), std::nullopt);
  EXPECT_NE(regex_problem("dev-(["), std::nullopt);
}

}  // namespace
}  // namespace fc::profile
