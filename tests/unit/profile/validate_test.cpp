// `validate`: what a vendor reads for a good and for a broken profile, and the exit codes.
#include <gtest/gtest.h>

#include <sstream>

#include "suite/profile/validate.h"

namespace fc::profile {
namespace {

const std::string profile_dir = FOTACHECK_SOURCE_DIR "/tests/unit/profile/";

TEST(ProfileValidate, GoodProfilePrintsSummaryAndReturnsZero) {
  std::ostringstream out;
  EXPECT_EQ(run_validate(profile_dir + "good/minimal.yaml", out), 0);
  EXPECT_EQ(out.str(),
            "profile OK: endpoint \"dev-1\", adapter manual, security nosec, pull none, push no, "
            "packages reference, faults none, ack_timeout 2s, scale 1\n");
}

TEST(ProfileValidate, SummaryNamesDeclaredCapabilitiesAndFaults) {
  std::ostringstream out;
  EXPECT_EQ(run_validate(profile_dir + "good/full.yaml", out), 0);
  EXPECT_EQ(out.str(),
            "profile OK: endpoint \"fotacheck-{run}\", adapter process, security nosec, "
            "pull coap,http,coap+tcp, push yes, packages anjay, faults flash_full:args,"
            "out_of_ram:package,update_fails:package,power_loss:hook, ack_timeout 2s, scale 2\n");
}

TEST(ProfileValidate, SummaryListsIncludes) {
  std::ostringstream out;
  EXPECT_EQ(run_validate(profile_dir + "good/derived.yaml", out), 0);
  EXPECT_EQ(out.str(),
            "profile OK: endpoint \"family-{run}\", adapter process, security nosec, "
            "pull http,https, push no, packages reference, faults none, ack_timeout 500ms, "
            "scale 1.5, includes " + profile_dir + "good/base.yaml\n");
}

TEST(ProfileValidate, BrokenProfilePrintsEveryProblemAndReturnsTwo) {
  std::ostringstream out;
  const std::string file = profile_dir + "broken/bad_bool.yaml";
  EXPECT_EQ(run_validate(file, out), 2);
  EXPECT_EQ(out.str(),
            file + ":5:9: capabilities.push: expected true or false, got \"yes\"\n" + file +
                ":6:15: capabilities.object_1_1: expected true or false, got \"1\"\n" + file +
                ": 2 problems\n");
}

TEST(ProfileValidate, UnreadableProfileReturnsTwo) {
  std::ostringstream out;
  const std::string file = profile_dir + "broken/absent.yaml";
  EXPECT_EQ(run_validate(file, out), 2);
  EXPECT_EQ(out.str(), file + ": cannot read the profile: No such file or directory\n" + file +
                           ": 1 problem\n");
}

}  // namespace
}  // namespace fc::profile
