// What the reference client makes of a bootstrap server's Delete and Write of /0 and /1, the
// check Bootstrap-Finish makes, and the account kept for later starts.
#include "refclient/client/bootstrap_client.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "suite/lwm2m/codec.h"

namespace fc::refclient {
namespace {

using lwm2m::Path;
using lwm2m::Value;

// As a bootstrap server sends them: TLV, decoded with the instance as the base path.
lwm2m::Records over_tlv(const Path& instance, const lwm2m::Records& records) {
  return lwm2m::decode_tlv(instance, lwm2m::encode_tlv(instance, records));
}

lwm2m::Records psk_security(std::uint16_t instance, const std::string& uri) {
  return over_tlv(Path{0, instance}, {{Path{0, instance, 0}, Value(uri)},
                                      {Path{0, instance, 1}, Value(false)},
                                      {Path{0, instance, 2}, Value(std::int64_t{0})},
                                      {Path{0, instance, 3}, Value(to_bytes("run-7"))},
                                      {Path{0, instance, 5}, Value(Bytes{1, 2, 3, 4})},
                                      {Path{0, instance, 10}, Value(std::int64_t{1})}});
}

lwm2m::Records server(std::uint16_t instance, std::int64_t lifetime) {
  return over_tlv(Path{1, instance}, {{Path{1, instance, 0}, Value(std::int64_t{1})},
                                      {Path{1, instance, 1}, Value(lifetime)},
                                      {Path{1, instance, 7}, Value("U")}});
}

TEST(BootstrapStoreTest, WrittenSecurityAndServerInstancesMakeTheDmAccount) {
  BootstrapStore store;
  store.write(psk_security(1, "coaps://127.0.0.1:40123"));
  store.write(server(0, 30));
  std::string problem;
  const auto account = store.dm_account(problem);
  ASSERT_TRUE(account) << problem;
  EXPECT_EQ(account->server_uri, "coaps://127.0.0.1:40123");
  EXPECT_EQ(account->security_mode, 0);
  EXPECT_EQ(account->psk_identity, "run-7");
  EXPECT_EQ(account->psk_key, (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(account->lifetime, 30u);
}

TEST(BootstrapStoreTest, FinishWithoutAServerInstanceNamesWhatIsMissing) {
  BootstrapStore store;
  store.write(psk_security(1, "coaps://127.0.0.1:40123"));
  std::string problem;
  EXPECT_FALSE(store.dm_account(problem));
  EXPECT_EQ(problem, "no Server instance (/1) with Short Server ID 1 to go with /0/1");
}

TEST(BootstrapStoreTest, DeleteOfTheObjectRemovesWhatWasWritten) {
  BootstrapStore store;
  store.write(psk_security(1, "coaps://127.0.0.1:1"));
  store.write(server(0, 30));
  store.erase({0});
  std::string problem;
  EXPECT_FALSE(store.dm_account(problem));
  EXPECT_EQ(problem, "no Security instance (/0) for a DM server was written");
  store.write(psk_security(2, "coaps://127.0.0.1:2"));
  store.erase({});  // Delete "/"
  EXPECT_FALSE(store.dm_account(problem));
}

TEST(BootstrapStoreTest, TwoDmAccountsAreRefused) {
  BootstrapStore store;
  store.write(psk_security(1, "coaps://127.0.0.1:1"));
  store.write(psk_security(2, "coaps://127.0.0.1:2"));
  store.write(server(0, 30));
  std::string problem;
  EXPECT_FALSE(store.dm_account(problem));
  EXPECT_EQ(problem, "two DM server accounts written (/0/1 and /0/2); this client holds one");
}

TEST(BootstrapAccountTest, UsedForTheServerItsCredentialsAndLifetime) {
  ClientOptions options;
  DmAccount account{"coaps://127.0.0.1:40123", 0, "run-7", Bytes{9, 9}, 30};
  use_dm_account(options, account);
  EXPECT_EQ(options.server.scheme, "coaps");
  EXPECT_EQ(options.server.port, 40123);
  EXPECT_EQ(options.server_security.psk_identity, "run-7");
  EXPECT_EQ(options.lifetime, 30u);
  account.security_mode = 3;  // NoSec with a coaps:// URI
  EXPECT_THROW(use_dm_account(options, account), std::invalid_argument);
}

TEST(BootstrapAccountTest, KeptInTheStateFolderForTheNextStart) {
  const auto dir = std::filesystem::temp_directory_path() / ("refclient-bootstrap-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_FALSE(load_dm_account(dir));
  save_dm_account(dir, DmAccount{"coaps://127.0.0.1:5684", 0, "run-7", Bytes{0xAB, 0x01}, 45});
  const auto loaded = load_dm_account(dir);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->server_uri, "coaps://127.0.0.1:5684");
  EXPECT_EQ(loaded->psk_identity, "run-7");
  EXPECT_EQ(loaded->psk_key, (Bytes{0xAB, 0x01}));
  EXPECT_EQ(loaded->lifetime, 45u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fc::refclient
