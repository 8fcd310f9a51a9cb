// The lossy-link presets: typical figures of a cellular IoT radio in good coverage, one way
// (3GPP TR 45.820 and TR 36.888 order of magnitude; a real cell varies a lot). They make an
// update's cost visible; they do not claim to be any operator's network.
#include <fmt/format.h>

#include "suite/profile/profile.h"

namespace fc::profile {

LinkModel link_preset(LinkPreset preset) {
  LinkModel link;
  link.preset = preset;
  switch (preset) {
    case LinkPreset::None: break;
    case LinkPreset::NbIot:  // NB-IoT: seconds of round trip, tens of kbit/s, some loss
      link.latency = Duration(400);
      link.bandwidth = 30'000;
      link.loss = 0.02;
      break;
    case LinkPreset::LteM:  // LTE-M: about a tenth of NB-IoT's delay, hundreds of kbit/s
      link.latency = Duration(60);
      link.bandwidth = 300'000;
      link.loss = 0.01;
      break;
  }
  return link;
}

std::string link_impairments(const LinkModel& link) {
  std::string out;
  auto add = [&out](const std::string& text) { out += (out.empty() ? "" : ";") + text; };
  if (link.latency.count() > 0) add(fmt::format("delay:{}ms", link.latency.count()));
  if (link.loss > 0) add(fmt::format("loss:rate={},seed={}", link.loss, link.seed));
  if (link.bandwidth) add(fmt::format("bandwidth:{}", *link.bandwidth));
  return out;
}

}  // namespace fc::profile
