// RFC 7252 §4.8.2 derived times from the profile's CoAP parameters.
#include <gtest/gtest.h>

#include "suite/profile/deadlines.h"

namespace fc::profile {
namespace {

TEST(ProfileDeadlines, RfcDefaultsGiveTheRfcNumbers) {
  const CoapDeadlines d = derive_deadlines(Timing{});
  EXPECT_EQ(d.max_transmit_span, Duration(45000));
  EXPECT_EQ(d.max_transmit_wait, Duration(93000));
  EXPECT_EQ(d.max_latency, Duration(100000));
  EXPECT_EQ(d.processing_delay, Duration(2000));
  EXPECT_EQ(d.max_rtt, Duration(202000));
  EXPECT_EQ(d.exchange_lifetime, Duration(247000));
  EXPECT_EQ(d.non_lifetime, Duration(145000));
  EXPECT_EQ(d.register_timeout, Duration(30000));
}

TEST(ProfileDeadlines, ProfileParametersAndScaleApply) {
  Timing timing;
  timing.coap.ack_timeout = Duration(1000);
  timing.coap.ack_random_factor = 1.0;
  timing.coap.max_retransmit = 2;
  timing.scale = 2.0;
  const CoapDeadlines d = derive_deadlines(timing);
  EXPECT_EQ(d.max_transmit_span, Duration(6000));    // 1 s * (2^2 - 1) * 1.0 * 2
  EXPECT_EQ(d.max_transmit_wait, Duration(14000));   // 1 s * (2^3 - 1) * 1.0 * 2
  EXPECT_EQ(d.max_latency, Duration(200000));
  EXPECT_EQ(d.processing_delay, Duration(2000));
  EXPECT_EQ(d.max_rtt, Duration(402000));
  EXPECT_EQ(d.exchange_lifetime, Duration(408000));  // (3 + 200 + 1) s * 2
  EXPECT_EQ(d.non_lifetime, Duration(206000));       // (3 + 100) s * 2
  EXPECT_EQ(d.register_timeout, Duration(60000));
}

TEST(ProfileDeadlines, NoRetransmissionAndFractionalScaleRoundToMilliseconds) {
  Timing timing;
  timing.coap.ack_timeout = Duration(333);
  timing.coap.ack_random_factor = 1.5;
  timing.coap.max_retransmit = 0;
  timing.scale = 0.5;
  const CoapDeadlines d = derive_deadlines(timing);
  EXPECT_EQ(d.max_transmit_span, Duration(0));
  EXPECT_EQ(d.max_transmit_wait, Duration(250));  // 333 * 1 * 1.5 * 0.5 = 249.75
  EXPECT_EQ(d.processing_delay, Duration(167));   // 166.5 rounds half away from zero
}

}  // namespace
}  // namespace fc::profile
