// The CoAP repository against real downloaders on loopback: the suite's own Block2 fetcher and
// libcoap's block-wise client; block sizes either side chooses, ETag, Size2, paths and queries.
#include <arpa/inet.h>
#include <coap3/coap.h>

#include "tests/integration/repository/repository_fixture.h"

namespace fc::repository::testing {
namespace {

namespace code = coap::code;

class CoapRepositoryTest : public RepositoryTest {};

TEST_F(CoapRepositoryTest, ServesAPackageBlockByBlockWithEtagAndSize2) {
  auto content = pattern(5000);
  auto published = repository.publish("/fw/a.bin", content);
  EXPECT_EQ(published.coap_uri, "coap://127.0.0.1:" + std::to_string(repository.coap_address().port) + "/fw/a.bin");
  EXPECT_EQ(published.etag, content_etag(content));

  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(got.blocks.size(), 5u);
  EXPECT_EQ(got.etag, published.etag);
  EXPECT_EQ(got.size2, 5000u);
  EXPECT_EQ(got.requests, 5u);

  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.requests, 5u);
  EXPECT_EQ(c.blocks, 5u);
  EXPECT_EQ(c.bytes, 5000u);
  EXPECT_EQ(c.errors, 0u);
  EXPECT_EQ(c.distinct_clients, 1u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.restarts, 0u);
  ASSERT_EQ(c.transfers.size(), 1u);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 1.0);
}

TEST_F(CoapRepositoryTest, ServesTheClientsSmallerBlockSize) {
  auto content = pattern(1000);
  auto published = repository.publish("/fw/small.bin", content);
  FetchOptions o;
  o.block_size = 64;
  auto got = fetcher.fetch(published.coap_uri, o);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  ASSERT_EQ(got.blocks.size(), 16u);
  EXPECT_EQ(got.blocks[15], (coap::BlockOption{15, false, 2}));
  EXPECT_EQ(repository.counters("/fw/small.bin").blocks, 16u);
}

TEST_F(CoapRepositoryTest, SecondDownloadCountsAsARestartAndDoublesTheRatio) {
  auto content = pattern(3000);
  auto published = repository.publish("/fw/a.bin", content);
  ASSERT_TRUE(fetcher.fetch(published.coap_uri).complete());
  ASSERT_TRUE(fetcher.fetch(published.coap_uri).complete());
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.transfers.size(), 2u);
  EXPECT_EQ(c.restarts, 1u);
  EXPECT_EQ(c.completed, 2u);
  EXPECT_DOUBLE_EQ(c.redownload_ratio(), 2.0);
}

TEST_F(CoapRepositoryTest, ResumesFromAnOffsetWhenTheEtagStillMatches) {
  auto content = pattern(5000);
  auto published = repository.publish("/fw/a.bin", content);
  FetchOptions o;
  o.resume_offset = 2048;
  o.if_etag = published.etag;
  auto got = fetcher.fetch(published.coap_uri, o);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, slice(content, 2048));
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.resumes, 1u);
  EXPECT_EQ(c.bytes, 5000u - 2048u);
  EXPECT_EQ(c.completed, 1u);
}

TEST_F(CoapRepositoryTest, ConfigCanForceBlocksSmallerThanAsked) {
  coap::EventLoop own_loop;
  coap::Trace own_trace;
  RepositoryConfig config;
  config.max_block_szx = 4;  // 256 B
  config.http = false;
  FirmwareRepository small_blocks(own_loop, own_trace, config);
  CoapFetcher own_fetcher(own_loop, own_trace);
  auto content = pattern(1500);
  auto published = small_blocks.publish("/fw/a.bin", content);
  EXPECT_EQ(published.http_uri, "");
  auto got = own_fetcher.fetch(published.coap_uri);  // asks for 1024
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  ASSERT_EQ(got.blocks.size(), 6u);
  EXPECT_EQ(got.blocks[0], (coap::BlockOption{0, true, 4}));
  EXPECT_EQ(got.blocks[5], (coap::BlockOption{5, false, 4}));
}

TEST_F(CoapRepositoryTest, MultiSegmentPathAndQueryHoldOnEveryBlock) {
  auto content = pattern(3000);
  auto published = repository.publish("/fw/v2/device-7/pkg.bin?token=abc&v=2", content);
  EXPECT_EQ(published.path, "/fw/v2/device-7/pkg.bin");
  EXPECT_EQ(published.coap_uri.substr(published.coap_uri.find("/fw")), "/fw/v2/device-7/pkg.bin?token=abc&v=2");
  auto got = fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  auto entries = trace.entries();
  std::size_t gets_with_query = 0;
  for (const auto& e : entries)
    if (e.channel == "repository-coap" && e.direction == coap::Direction::Received &&
        e.message.uri_query == std::vector<std::string>{"token=abc", "v=2"})
      ++gets_with_query;
  EXPECT_EQ(gets_with_query, 3u);

  auto without = fetcher.fetch(published.coap_uri.substr(0, published.coap_uri.find('?')));
  EXPECT_EQ(without.end, FetchResult::End::ErrorCode);
  EXPECT_EQ(without.last_code, code::NotFound);
  EXPECT_EQ(repository.counters("/fw/v2/device-7/pkg.bin").errors, 1u);
}

TEST_F(CoapRepositoryTest, UnknownPathIsNotFoundAndCounted) {
  repository.publish("/fw/a.bin", pattern(10));
  auto got = fetcher.fetch("coap://127.0.0.1:" + std::to_string(repository.coap_address().port) + "/fw/b.bin");
  EXPECT_EQ(got.end, FetchResult::End::ErrorCode);
  EXPECT_EQ(got.last_code, code::NotFound);
  EXPECT_EQ(repository.unknown_requests(), (std::map<std::string, std::size_t>{{"/fw/b.bin", 1}}));
  EXPECT_EQ(repository.counters("/fw/a.bin").requests, 0u);
}

TEST_F(CoapRepositoryTest, UnpublishedPackageIsNotFoundButItsCountersRemain) {
  auto published = repository.publish("/fw/a.bin", pattern(100));
  ASSERT_TRUE(fetcher.fetch(published.coap_uri).complete());
  repository.unpublish("/fw/a.bin");
  EXPECT_EQ(fetcher.fetch(published.coap_uri).last_code, code::NotFound);
  EXPECT_EQ(repository.counters("/fw/a.bin").completed, 1u);
}

TEST_F(CoapRepositoryTest, PathsThatWouldNotSurviveAUriAreRefused) {
  EXPECT_THROW(repository.publish("fw/a.bin", {}), std::invalid_argument);
  EXPECT_THROW(repository.publish("/fw//a.bin", {}), std::invalid_argument);
  EXPECT_THROW(repository.publish("/fw/../a.bin", {}), std::invalid_argument);
  EXPECT_THROW(repository.publish("/fw/a b.bin", {}), std::invalid_argument);
  EXPECT_THROW(repository.publish("/fw/a.bin?x=1&&y", {}), std::invalid_argument);
  EXPECT_THROW(repository.coap_uri("/never"), std::invalid_argument);
}

TEST_F(CoapRepositoryTest, SizeTwoCanBeSentInEveryBlock) {
  coap::EventLoop own_loop;
  coap::Trace own_trace;
  RepositoryConfig config;
  config.always_size2 = true;
  config.http = false;
  FirmwareRepository always(own_loop, own_trace, config);
  CoapFetcher own_fetcher(own_loop, own_trace);
  auto published = always.publish("/fw/a.bin", pattern(2500));
  FetchOptions o;
  o.ask_size2 = false;
  ASSERT_TRUE(own_fetcher.fetch(published.coap_uri, o).complete());
  std::size_t with_size2 = 0;
  for (const auto& e : own_trace.entries())
    if (e.channel == "repository-coap" && e.direction == coap::Direction::Sent && e.message.size2 == 2500u) ++with_size2;
  EXPECT_EQ(with_size2, 3u);
}

// libcoap's own block-wise client: RFC 7959 as someone else implemented it.
class LibcoapClient {
 public:
  explicit LibcoapClient(coap::EventLoop& loop) : loop_(loop) {
    ctx_ = coap_new_context(nullptr);
    coap_context_set_block_mode(ctx_, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    coap_set_app_data(ctx_, this);
    coap_register_response_handler(ctx_, &LibcoapClient::on_response);
    coap_register_nack_handler(ctx_, [](coap_session_t* session, const coap_pdu_t*, coap_nack_reason_t, const coap_mid_t) {
      static_cast<LibcoapClient*>(coap_get_app_data(coap_session_get_context(session)))->got_.gave_up = true;
    });
    loop_.attach(ctx_);
  }
  ~LibcoapClient() {
    loop_.detach(ctx_);
    coap_free_context(ctx_);
  }

  struct Got {
    bool answered = false;
    bool gave_up = false;  // libcoap's retransmissions ran out: a dead link
    coap::Code code;
    Bytes body;
  };

  // libcoap retransmits after 1 s, then 2 s, and gives up after `max_retransmit` of them.
  Got get(std::uint16_t port, const std::vector<std::string>& path, std::uint8_t szx, std::uint16_t max_retransmit = 4) {
    coap_address_t addr;
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.addr.sin.sin_addr);
    addr.size = sizeof(sockaddr_in);
    coap_session_t* session = coap_new_client_session(ctx_, nullptr, &addr, COAP_PROTO_UDP);
    coap_session_set_ack_timeout(session, coap_fixed_point_t{1, 0});
    coap_session_set_ack_random_factor(session, coap_fixed_point_t{1, 0});
    coap_session_set_max_retransmit(session, max_retransmit);
    coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_GET, coap_new_message_id(session),
                                    coap_session_max_pdu_size(session));
    std::uint8_t token[8];
    size_t token_length = 0;
    coap_session_new_token(session, &token_length, token);
    coap_add_token(pdu, token_length, token);
    for (const auto& segment : path)
      coap_add_option(pdu, COAP_OPTION_URI_PATH, segment.size(), reinterpret_cast<const std::uint8_t*>(segment.data()));
    std::uint8_t buf[4];
    coap_add_option(pdu, COAP_OPTION_BLOCK2, coap_encode_var_safe(buf, sizeof buf, szx), buf);
    got_ = Got{};
    coap_send(session, pdu);
    loop_.await([this] { return got_.answered || got_.gave_up; }, Deadline(Duration(8000)));
    coap_session_release(session);
    return got_;
  }

 private:
  coap::EventLoop& loop_;
  coap_context_t* ctx_;
  Got got_;

  static coap_response_t on_response(coap_session_t* session, const coap_pdu_t*, const coap_pdu_t* received,
                                     const coap_mid_t) {
    auto* self = static_cast<LibcoapClient*>(coap_get_app_data(coap_session_get_context(session)));
    size_t length = 0;
    size_t offset = 0;
    size_t total = 0;
    const std::uint8_t* data = nullptr;
    self->got_.answered = true;
    self->got_.code = coap::Code::from_raw(static_cast<std::uint8_t>(coap_pdu_get_code(received)));
    if (coap_get_data_large(received, &length, &data, &offset, &total)) self->got_.body.assign(data, data + length);
    return COAP_RESPONSE_OK;
  }
};

TEST_F(CoapRepositoryTest, LibcoapsBlockwiseClientGetsTheWholePackage) {
  auto content = pattern(10'000);
  repository.publish("/fw/a.bin", content);
  LibcoapClient client(loop);
  auto got = client.get(repository.coap_address().port, {"fw", "a.bin"}, 6);
  ASSERT_TRUE(got.answered);
  EXPECT_EQ(got.code, code::Content);
  EXPECT_EQ(got.body, content);
  auto c = repository.counters("/fw/a.bin");
  EXPECT_EQ(c.blocks, 10u);
  EXPECT_EQ(c.completed, 1u);
  EXPECT_EQ(c.bytes, 10'000u);
}

TEST_F(CoapRepositoryTest, LibcoapsClientFollowsTheSmallerBlockTheRepositoryChooses) {
  auto content = pattern(3000);
  repository.publish("/fw/a.bin", content, "max-block:128");
  LibcoapClient client(loop);
  auto got = client.get(repository.coap_address().port, {"fw", "a.bin"}, 6);
  ASSERT_TRUE(got.answered);
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(repository.counters("/fw/a.bin").blocks, 24u);
  EXPECT_EQ(notes_with("max-block:128: acting from block 0"), 1u);
}

TEST_F(CoapRepositoryTest, LibcoapsClientSeesTheDeadLinkOfDropAfterBlock) {
  repository.publish("/fw/a.bin", pattern(5000), "drop-after-block:1");
  LibcoapClient client(loop);
  auto port = repository.relay("/fw/a.bin")->address().port;
  auto got = client.get(port, {"fw", "a.bin"}, 6, 1);  // gives up 3 s after block 2's request
  EXPECT_TRUE(got.gave_up);
  EXPECT_FALSE(got.answered);
  EXPECT_EQ(repository.relay("/fw/a.bin")->counts().to_client, 2u);
  EXPECT_EQ(repository.relay("/fw/a.bin")->counts().dropped_to_client, 2u);  // the request and its retransmission
}

TEST_F(CoapRepositoryTest, LibcoapsClientGetsAnErrorCodeMidTransfer) {
  repository.publish("/fw/a.bin", pattern(5000), "error-at-block:3,code=5.03");
  LibcoapClient client(loop);
  auto got = client.get(repository.coap_address().port, {"fw", "a.bin"}, 6);
  ASSERT_TRUE(got.answered);
  EXPECT_EQ(got.code, code::ServiceUnavailable);
  EXPECT_EQ(repository.counters("/fw/a.bin").blocks, 3u);
}

TEST_F(CoapRepositoryTest, ServesOverIpv6LoopbackThroughARelayAndHttp) {
  coap::EventLoop own_loop;
  coap::Trace own_trace;
  RepositoryConfig config;
  config.bind = "::1";
  FirmwareRepository v6(own_loop, own_trace, config);
  CoapFetcher own_fetcher(own_loop, own_trace);
  auto content = pattern(3000);
  auto published = v6.publish("/fw/a.bin", content, "delay:1ms");
  EXPECT_EQ(published.coap_uri.rfind("coap://[::1]:", 0), 0u) << published.coap_uri;
  EXPECT_EQ(published.http_uri.rfind("http://[::1]:", 0), 0u) << published.http_uri;
  auto got = own_fetcher.fetch(published.coap_uri);
  ASSERT_TRUE(got.complete()) << got.error;
  EXPECT_EQ(got.body, content);
  EXPECT_EQ(v6.counters("/fw/a.bin").transfers[0].client.rfind("[::1]:", 0), 0u);
}

}  // namespace
}  // namespace fc::repository::testing
