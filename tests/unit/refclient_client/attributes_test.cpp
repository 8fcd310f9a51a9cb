// Write-Attributes parsing, inheritance and the gt/lt/st change conditions.
#include "refclient/client/attributes.h"

#include <gtest/gtest.h>

namespace fc::refclient {
namespace {

using lwm2m::Path;

TEST(AttributeStoreTest, StoresPeriodsAtThePathWritten) {
  AttributeStore store;
  store.apply(Path{5, 0}, {"pmin=2", "pmax=10"});
  EXPECT_EQ(store.at(Path{5, 0}).pmin, std::optional<std::uint32_t>(2));
  EXPECT_EQ(store.at(Path{5, 0}).pmax, std::optional<std::uint32_t>(10));
  EXPECT_TRUE(store.at(Path{5, 0, 3}).empty());
}

TEST(AttributeStoreTest, ResourceLevelOverridesInstanceAndObjectLevel) {
  AttributeStore store;
  store.apply(Path{5}, {"pmin=1", "pmax=60"});
  store.apply(Path{5, 0}, {"pmin=2"});
  store.apply(Path{5, 0, 3}, {"pmin=0"});
  const auto effective = store.effective(Path{5, 0, 3});
  EXPECT_EQ(effective.pmin, std::optional<std::uint32_t>(0));
  EXPECT_EQ(effective.pmax, std::optional<std::uint32_t>(60));
  EXPECT_EQ(store.effective(Path{5, 0, 5}).pmin, std::optional<std::uint32_t>(2));
}

TEST(AttributeStoreTest, BareNameRemovesTheAttribute) {
  AttributeStore store;
  store.apply(Path{3, 0, 13}, {"pmin=5", "pmax=9"});
  store.apply(Path{3, 0, 13}, {"pmin"});
  EXPECT_FALSE(store.at(Path{3, 0, 13}).pmin.has_value());
  EXPECT_EQ(store.at(Path{3, 0, 13}).pmax, std::optional<std::uint32_t>(9));
}

TEST(AttributeStoreTest, BadValueRejectsTheWholeRequest) {
  AttributeStore store;
  EXPECT_THROW(store.apply(Path{5, 0}, {"pmin=3", "pmax=ten"}), AttributeError);
  EXPECT_TRUE(store.at(Path{5, 0}).empty());
}

TEST(AttributeStoreTest, UnknownAttributeAndNegativeStepAreRejected) {
  AttributeStore store;
  EXPECT_THROW(store.apply(Path{5, 0}, {"foo=1"}), AttributeError);
  EXPECT_THROW(store.apply(Path{4, 0, 2}, {"st=-1"}), AttributeError);
  EXPECT_THROW(store.apply(Path{4, 0, 2}, {"pmin=-1"}), AttributeError);
  EXPECT_THROW(store.apply(Path{4, 0, 2}, {}), AttributeError);
}

TEST(AttributeStoreTest, LinkAttributesListWhatIsSetInCanonicalOrder) {
  AttributeStore store;
  store.apply(Path{4, 0, 2}, {"st=0.5", "pmax=10", "gt=-80"});
  const auto links = store.link_attributes(Path{4, 0, 2});
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0], (lwm2m::LinkAttribute{"pmax", "10"}));
  EXPECT_EQ(links[1], (lwm2m::LinkAttribute{"gt", "-80"}));
  EXPECT_EQ(links[2], (lwm2m::LinkAttribute{"st", "0.5"}));
}

TEST(ChangeConditionsTest, NoConditionsMeansEveryChangeCounts) {
  EXPECT_TRUE(passes_change_conditions({}, 1.0, 1.0));
}

TEST(ChangeConditionsTest, StepNeedsAtLeastStBetweenValues) {
  NotificationAttributes attributes;
  attributes.st = 5;
  EXPECT_FALSE(passes_change_conditions(attributes, -90.0, -93.0));
  EXPECT_TRUE(passes_change_conditions(attributes, -90.0, -95.0));
}

TEST(ChangeConditionsTest, GreaterThanAndLessThanNeedACrossing) {
  NotificationAttributes attributes;
  attributes.gt = 10;
  attributes.lt = 2;
  EXPECT_FALSE(passes_change_conditions(attributes, 5.0, 7.0));
  EXPECT_TRUE(passes_change_conditions(attributes, 5.0, 11.0));
  EXPECT_TRUE(passes_change_conditions(attributes, 11.0, 9.0));
  EXPECT_TRUE(passes_change_conditions(attributes, 5.0, 1.0));
  EXPECT_TRUE(passes_change_conditions(attributes, std::nullopt, 5.0));
}

}  // namespace
}  // namespace fc::refclient
