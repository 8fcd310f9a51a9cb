// The impairment text form: every form parses to the intended fields and prints back the same,
// and every malformed form is refused with a message naming it.
#include <gtest/gtest.h>

#include "suite/repository/impairment.h"

namespace fc::repository {
namespace {

using namespace std::chrono_literals;

TEST(ImpairmentText, EveryFormPrintsBackAsWritten) {
  for (std::string text : {"drop-after-block:3", "drop-after-byte:4096", "stall:block=2,for=1500ms",
                           "stall:byte=4096,for=2s", "loss:rate=0.2,seed=7", "delay:50ms", "bandwidth:30000",
                           "error-at-block:4,code=5.03", "error-at-byte:0,code=4.04,once", "etag-change-at-block:2",
                           "etag-change-at-byte:100", "content-change-at-block:2", "content-change-at-byte:7",
                           "announce-size:2000000", "max-block:256", "http-close-after:4096",
                           "http-lying-length:+1000", "http-lying-length:-1000", "ack-then-silence-at-block:2",
                           "ack-then-silence-at-byte:512", "weak-etag"}) {
    EXPECT_EQ(parse_impairment(text).describe(), text);
    EXPECT_EQ(parse_impairment(parse_impairment(text).describe()), parse_impairment(text)) << text;
  }
}

TEST(ImpairmentText, DropAfterBlockKeepsItsBlock) {
  auto imp = parse_impairment("drop-after-block:3");
  EXPECT_EQ(imp.kind, ImpairmentKind::DropAfter);
  EXPECT_EQ(imp.at, (Position{Position::Unit::Block, 3}));
  EXPECT_TRUE(imp.on_wire());
  EXPECT_TRUE(imp.applies_to(Transport::Coap));
  EXPECT_FALSE(imp.applies_to(Transport::Http));
}

TEST(ImpairmentText, DropAfterByteAppliesToBothTransports) {
  auto imp = parse_impairment("drop-after-byte:4096");
  EXPECT_EQ(imp.at, (Position{Position::Unit::Byte, 4096}));
  EXPECT_TRUE(imp.applies_to(Transport::Coap));
  EXPECT_TRUE(imp.applies_to(Transport::Http));
}

TEST(ImpairmentText, StallReadsPositionAndDurationInEitherUnit) {
  auto a = parse_impairment("stall:block=2,for=1500ms");
  EXPECT_EQ(a.kind, ImpairmentKind::Stall);
  EXPECT_EQ(a.at, (Position{Position::Unit::Block, 2}));
  EXPECT_EQ(a.duration, 1500ms);
  auto b = parse_impairment("stall: for=1.5s , byte=10");
  EXPECT_EQ(b.at, (Position{Position::Unit::Byte, 10}));
  EXPECT_EQ(b.duration, 1500ms);
  EXPECT_EQ(b.describe(), "stall:byte=10,for=1500ms");
}

TEST(ImpairmentText, LossHasRateAndSeedWithSeedOneByDefault) {
  auto a = parse_impairment("loss:rate=0.2,seed=7");
  EXPECT_EQ(a.kind, ImpairmentKind::Loss);
  EXPECT_DOUBLE_EQ(a.rate, 0.2);
  EXPECT_EQ(a.seed, 7u);
  EXPECT_FALSE(a.applies_to(Transport::Http));
  EXPECT_EQ(parse_impairment("loss:rate=0.5").seed, 1u);
  EXPECT_EQ(parse_impairment("loss:rate=0.5").describe(), "loss:rate=0.5,seed=1");
}

TEST(ImpairmentText, DelayIsAWireImpairmentOnBothTransports) {
  auto imp = parse_impairment("delay:50ms");
  EXPECT_EQ(imp.kind, ImpairmentKind::Delay);
  EXPECT_EQ(imp.duration, 50ms);
  EXPECT_TRUE(imp.on_wire());
  EXPECT_TRUE(imp.applies_to(Transport::Http));
  EXPECT_EQ(parse_impairment("delay:2000ms").describe(), "delay:2s");
}

TEST(ImpairmentText, ErrorCodeReadsCoapAndHttpForms) {
  auto coap_form = parse_impairment("error-at-block:4,code=5.03");
  EXPECT_EQ(coap_form.kind, ImpairmentKind::ErrorAt);
  EXPECT_EQ(coap_form.code, coap::code::ServiceUnavailable);
  EXPECT_EQ(coap_form.http_status(), 503);
  EXPECT_FALSE(coap_form.once);
  EXPECT_FALSE(coap_form.on_wire());
  auto http_form = parse_impairment("error-at-byte:0,code=404,once");
  EXPECT_EQ(http_form.code, coap::code::NotFound);
  EXPECT_EQ(http_form.http_status(), 404);
  EXPECT_TRUE(http_form.once);
  EXPECT_EQ(http_form.describe(), "error-at-byte:0,code=4.04,once");
  EXPECT_EQ(parse_impairment("error-at-block:1,code=500").code, coap::code::InternalServerError);
  EXPECT_EQ(parse_impairment("error-at-block:1,code=4.12").code, coap::code::PreconditionFailed);
}

TEST(ImpairmentText, SizesAndLengthsKeepTheirNumbers) {
  EXPECT_EQ(parse_impairment("announce-size:2000000").bytes, 2000000u);
  EXPECT_EQ(parse_impairment("max-block:256").bytes, 256u);
  EXPECT_EQ(parse_impairment("http-close-after:4096").bytes, 4096u);
  EXPECT_EQ(parse_impairment("http-lying-length:+1000").length_delta, 1000);
  EXPECT_EQ(parse_impairment("http-lying-length:-1000").length_delta, -1000);
  EXPECT_EQ(parse_impairment("http-lying-length:1000").describe(), "http-lying-length:+1000");
  EXPECT_FALSE(parse_impairment("http-close-after:1").applies_to(Transport::Coap));
  EXPECT_FALSE(parse_impairment("max-block:16").applies_to(Transport::Http));
}

TEST(ImpairmentText, BlockPositionsDoNotApplyOverHttp) {
  EXPECT_FALSE(parse_impairment("error-at-block:0,code=404").applies_to(Transport::Http));
  EXPECT_TRUE(parse_impairment("error-at-byte:0,code=404").applies_to(Transport::Http));
  EXPECT_FALSE(parse_impairment("etag-change-at-block:1").applies_to(Transport::Http));
  EXPECT_FALSE(parse_impairment("content-change-at-block:1").applies_to(Transport::Http));
  EXPECT_FALSE(parse_impairment("stall:block=1,for=1s").applies_to(Transport::Http));
  EXPECT_TRUE(parse_impairment("stall:byte=1,for=1s").applies_to(Transport::Http));
  // An empty ACK is CoAP's alone, at a byte position too; it is made on the wire (the relay).
  EXPECT_FALSE(parse_impairment("ack-then-silence-at-byte:0").applies_to(Transport::Http));
  EXPECT_TRUE(parse_impairment("ack-then-silence-at-byte:0").on_wire());
  // A weak ETag is HTTP's alone and takes no arguments.
  EXPECT_TRUE(parse_impairment("weak-etag").applies_to(Transport::Http));
  EXPECT_FALSE(parse_impairment("weak-etag").applies_to(Transport::Coap));
  EXPECT_THROW(parse_impairment("weak-etag:1"), ImpairmentError);
}

TEST(ImpairmentText, AListIsSplitAtSemicolons) {
  auto list = parse_impairments(" delay:50ms ; drop-after-block:3;; loss:rate=0.1,seed=2 ");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].kind, ImpairmentKind::Delay);
  EXPECT_EQ(list[1].kind, ImpairmentKind::DropAfter);
  EXPECT_EQ(list[2].kind, ImpairmentKind::Loss);
  EXPECT_EQ(describe(list), "delay:50ms;drop-after-block:3;loss:rate=0.1,seed=2");
  EXPECT_TRUE(parse_impairments("").empty());
}

void expect_refused(const std::string& text, const std::string& fragment) {
  try {
    parse_impairment(text);
    ADD_FAILURE() << "'" << text << "' was accepted";
  } catch (const ImpairmentError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("\"" + text + "\""), std::string::npos) << message;
    EXPECT_NE(message.find(fragment), std::string::npos) << message;
  }
}

TEST(ImpairmentText, MalformedFormsAreRefusedWithTheReason) {
  expect_refused("drop-after-packet:3", "unknown impairment 'drop-after-packet'");
  expect_refused("delay", "missing ':'");
  expect_refused("drop-after-block:three", "'three' is not a whole number");
  expect_refused("drop-after-block:-1", "'-1' is not a whole number");
  expect_refused("delay:50", "needs a unit");
  expect_refused("delay:fastms", "not a non-negative number");
  expect_refused("stall:block=2", "missing 'for='");
  expect_refused("stall:block=2,byte=3,for=1s", "exactly one of");
  expect_refused("stall:for=1s", "exactly one of");
  expect_refused("loss:rate=1.5", "from 0 to 1");
  expect_refused("loss:seed=3", "missing 'rate='");
  expect_refused("loss:rate=0.1,rate=0.2", "'rate' given twice");
  expect_refused("loss:rate=0.1,burst=2", "unexpected argument 'burst'");
  expect_refused("error-at-block:2", "missing 'code='");
  expect_refused("error-at-block:2,code=2.05", "not a 4.xx/5.xx");
  expect_refused("error-at-block:2,code=600", "not a 4.xx/5.xx");
  expect_refused("error-at-block:2,code=5.03,twice", "unexpected argument 'twice'");
  expect_refused("max-block:100", "not a power of two");
  expect_refused("max-block:2048", "not a power of two");
  expect_refused("announce-size:rate=3", "plain value");
}

}  // namespace
}  // namespace fc::repository
