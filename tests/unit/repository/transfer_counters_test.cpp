// Transfer counting: one clean download, repeats, restarts, resumptions from another address,
// HTTP transfers, and exact totals when CoAP and HTTP count at the same time.
#include <gtest/gtest.h>

#include <thread>

#include "suite/repository/transfer_counters.h"

namespace fc::repository {
namespace {

const std::string kPath = "/fw/a.bin";

TEST(TransferCounters, OneCleanCoapDownloadIsOneCompletedTransfer) {
  TransferCounters t;
  t.open(kPath, 2500);
  for (std::uint64_t offset : {0, 1024, 2048}) {
    t.request(kPath, "10.0.0.1:5000");
    t.coap_block(kPath, "10.0.0.1:5000", offset, offset == 2048 ? 452 : 1024);
  }
  auto c = t.counters(kPath);
  EXPECT_EQ(c.size, 2500u);
  EXPECT_EQ(c.requests, 3u);
  EXPECT_EQ(c.blocks, 3u);
  EXPECT_EQ(c.bytes, 2500u);
  EXPECT_EQ(c.distinct_clients, 1u);
  EXPECT_EQ(c.restarts, 0u);
  EXPECT_EQ(c.resumes, 0u);
  EXPECT_EQ(c.completed, 1u);
  ASSERT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.transfers[0].first_offset, 0u);
  EXPECT_EQ(c.transfers[0].next_offset, 2500u);
  EXPECT_TRUE(c.transfers[0].completed);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 1.0);
}

TEST(TransferCounters, ARepeatedBlockStaysInItsTransfer) {
  TransferCounters t;
  t.open(kPath, 2048);
  t.coap_block(kPath, "c", 0, 1024);
  t.coap_block(kPath, "c", 1024, 1024);
  t.coap_block(kPath, "c", 1024, 1024);  // the ACK was lost, the client asked again
  auto c = t.counters(kPath);
  ASSERT_EQ(c.transfers.size(), 1u);
  EXPECT_EQ(c.blocks, 3u);
  EXPECT_EQ(c.bytes, 3072u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 1.5);
}

TEST(TransferCounters, StartingOverFromZeroIsARestart) {
  TransferCounters t;
  t.open(kPath, 2500);
  t.coap_block(kPath, "c", 0, 1024);
  t.coap_block(kPath, "c", 1024, 1024);
  for (std::uint64_t offset : {0, 1024, 2048}) t.coap_block(kPath, "c", offset, offset == 2048 ? 452 : 1024);
  auto c = t.counters(kPath);
  ASSERT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(c.restarts, 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_FALSE(c.transfers[0].completed);
  EXPECT_EQ(c.transfers[0].bytes, 2048u);
  EXPECT_EQ(c.bytes, 4548u);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 4548.0 / 2500.0);
}

TEST(TransferCounters, ContinuingFromAnotherAddressIsAResumption) {
  TransferCounters t;
  t.open(kPath, 2500);
  t.request(kPath, "c:1");
  t.coap_block(kPath, "c:1", 0, 1024);
  t.request(kPath, "c:2");
  t.coap_block(kPath, "c:2", 1024, 1024);
  t.request(kPath, "c:2");
  t.coap_block(kPath, "c:2", 2048, 452);
  auto c = t.counters(kPath);
  ASSERT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(c.resumes, 1u);
  EXPECT_EQ(c.restarts, 0u);
  EXPECT_EQ(c.distinct_clients, 2u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.transfers[1].first_offset, 1024u);
  EXPECT_EQ(c.bytes, 2500u);
}

TEST(TransferCounters, EachHttpResponseIsItsOwnTransfer) {
  TransferCounters t;
  t.open(kPath, 5000);
  auto first = t.http_begin(kPath, "127.0.0.1", 0);
  t.http_bytes(kPath, first, 3000);
  auto second = t.http_begin(kPath, "127.0.0.1", 3000);
  t.http_bytes(kPath, second, 1500);
  t.http_bytes(kPath, second, 500);
  auto c = t.counters(kPath);
  ASSERT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(c.transfers[0].transport, Transport::Http);
  EXPECT_FALSE(c.transfers[0].completed);
  EXPECT_TRUE(c.transfers[1].completed);
  EXPECT_EQ(c.transfers[1].next_offset, 5000u);
  EXPECT_EQ(c.resumes, 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.bytes, 5000u);
  EXPECT_EQ(c.blocks, 0u);
}

TEST(TransferCounters, PublishingAgainStartsFromNothingAndUnknownPathsAreKeptApart) {
  TransferCounters t;
  t.open(kPath, 10);
  t.request(kPath, "c");
  t.error(kPath);
  t.unknown("/nope");
  t.unknown("/nope");
  EXPECT_EQ(t.counters(kPath).errors, 1u);
  t.open(kPath, 20);
  auto c = t.counters(kPath);
  EXPECT_EQ(c.size, 20u);
  EXPECT_EQ(c.requests, 0u);
  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(t.unknown_requests(), (std::map<std::string, std::size_t>{{"/nope", 2}}));
  EXPECT_EQ(t.counters("/never").requests, 0u);
}

TEST(TransferCounters, TotalsStayExactWithTwoThreadsCounting) {
  TransferCounters t;
  t.open(kPath, 1'000'000);
  std::thread http([&] {
    for (int i = 0; i < 2000; ++i) {
      auto id = t.http_begin(kPath, "h", 0);
      t.http_bytes(kPath, id, 10);
    }
  });
  for (int i = 0; i < 2000; ++i) {
    t.request(kPath, "c");
    t.coap_block(kPath, "c", static_cast<std::uint64_t>(i) * 16, 16);
  }
  http.join();
  auto c = t.counters(kPath);
  EXPECT_EQ(c.requests, 2000u);
  EXPECT_EQ(c.blocks, 2000u);
  EXPECT_EQ(c.bytes, 2000u * 10 + 2000u * 16);
  EXPECT_EQ(c.transfers.size(), 2001u);
}

}  // namespace
}  // namespace fc::repository
