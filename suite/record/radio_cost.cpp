#include "suite/record/radio_cost.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "suite/coap/message_encoding.h"

namespace fc::record {

namespace {

using coap::TraceEntry;

constexpr std::size_t kUdpIpv4Overhead = 8 + 20;
constexpr std::size_t kUdpIpv6Overhead = 8 + 40;

// "[::1]:5683" or "::1" style peers are IPv6; "127.0.0.1:5683" is IPv4.
bool ipv6_peer(const std::string& peer) { return std::count(peer.begin(), peer.end(), ':') > 1; }

// The message's CoAP size as sent, the trace having cut its payload.
std::size_t coap_size(const TraceEntry& e) {
  return coap::encode_coap(e.message).size() - e.message.payload.size() + coap::payload_size(e);
}

// The kind of delivery an entry belongs to: a pull is Block2 on the repository's CoAP channel, a
// push Block1 on any other.
std::optional<std::string> delivery_kind(const TraceEntry& e) {
  int option = coap::block_exchange_option(e);
  if (option == 2 && e.channel == "repository-coap") return "pull";
  if (option == 1 && e.channel != "repository-coap") return "push";
  return std::nullopt;
}

// The entry carries firmware: a Block2 response sent by the repository, a Block1 request sent
// by the server.
bool carries_firmware(const TraceEntry& e, const std::string& kind) {
  if (e.direction != coap::Direction::Sent) return false;
  return kind == "pull" ? !e.message.code.is_request() : e.message.code.is_request();
}

std::string per_firmware_byte(std::size_t bytes, const RadioCost& c) {
  if (!c.firmware_bytes) return fmt::format("{} B (image size unknown)", bytes);
  return fmt::format("{:.3f} ({} B for {} B of image)", static_cast<double>(bytes) / static_cast<double>(c.firmware_bytes),
                     bytes, c.firmware_bytes);
}

}  // namespace

std::vector<RadioCost> radio_costs(const std::vector<TraceEntry>& trace, const Timeline& timeline) {
  // A transfer is its channel and peer from its first block message to its last.
  struct Span {
    std::string kind;
    std::size_t first = 0, last = 0;
  };
  std::map<std::pair<std::string, std::string>, Span> spans;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    auto kind = delivery_kind(trace[i]);
    if (!kind) continue;
    auto [it, fresh] = spans.try_emplace({trace[i].channel, trace[i].peer}, Span{*kind, i, i});
    if (!fresh) it->second.last = i;
  }
  std::map<std::string, RadioCost> by_kind;
  for (const auto& [key, span] : spans) {
    auto& cost = by_kind[span.kind];
    cost.kind = span.kind;
    std::set<std::tuple<coap::Direction, std::uint16_t, bool>> seen;  // who sent it, MID, a request
    for (std::size_t i = span.first; i <= span.last; ++i) {
      const auto& e = trace[i];
      if (e.channel != key.first || e.peer != key.second || coap::is_trace_note(e)) continue;
      ++cost.datagrams;
      auto size = coap_size(e);
      cost.coap_bytes += size;
      cost.ip_bytes += size + (ipv6_peer(e.peer) ? kUdpIpv6Overhead : kUdpIpv4Overhead);
      bool request = e.message.code.is_request();
      bool repeat = !seen.insert({e.direction, e.message.message_id, request}).second;
      if (request && repeat && e.message.type == coap::MessageType::Con) ++cost.retransmissions;
      if (request && !repeat) ++cost.round_trips;
      if (delivery_kind(e) && carries_firmware(e, span.kind)) {
        const auto& block = span.kind == "pull" ? e.message.block2 : e.message.block1;
        auto length = coap::payload_size(e);
        cost.delivered_bytes += length;
        if (block) cost.firmware_bytes = std::max(cost.firmware_bytes, block->offset() + length);
      }
    }
    auto began = trace[span.first].time;
    for (const auto& t : timeline.entries())
      if (t.resource == FirmwareResource::State && t.value == 2 && t.time >= began) {
        auto took = t.time - began;
        if (!cost.to_downloaded || took < *cost.to_downloaded) cost.to_downloaded = took;
        break;
      }
  }
  std::vector<RadioCost> out;
  for (auto& [kind, cost] : by_kind) out.push_back(std::move(cost));
  return out;
}

const std::vector<RadioFigure>& radio_figures() {
  static const std::vector<RadioFigure> figures = {
      {"round trips", [](const RadioCost& c) { return std::to_string(c.round_trips); }},
      {"datagrams", [](const RadioCost& c) { return std::to_string(c.datagrams); }},
      {"CoAP bytes per firmware byte", [](const RadioCost& c) { return per_firmware_byte(c.coap_bytes, c); }},
      {"UDP/IP bytes per firmware byte", [](const RadioCost& c) { return per_firmware_byte(c.ip_bytes, c); }},
      {"retransmissions", [](const RadioCost& c) { return std::to_string(c.retransmissions); }},
      {"re-download ratio",
       [](const RadioCost& c) {
         return c.firmware_bytes ? fmt::format("{:.2f}", static_cast<double>(c.delivered_bytes) /
                                                             static_cast<double>(c.firmware_bytes))
                                 : std::string("unknown");
       }},
      {"time to Downloaded",
       [](const RadioCost& c) {
         return c.to_downloaded
                    ? fmt::format("{:.1f} ms", std::chrono::duration<double, std::milli>(*c.to_downloaded).count())
                    : std::string("not reached");
       }},
  };
  return figures;
}

std::string radio_measurement_name(std::string_view kind, const RadioFigure& figure) {
  return fmt::format("radio ({}): {}", kind, figure.name);
}

std::optional<std::pair<std::string, const RadioFigure*>> radio_figure_of(std::string_view name) {
  constexpr std::string_view prefix = "radio (";
  if (name.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto close = name.find("): ", prefix.size());
  if (close == std::string_view::npos) return std::nullopt;
  auto figure_name = name.substr(close + 3);
  for (const auto& figure : radio_figures())
    if (figure.name == figure_name)
      return std::pair{std::string(name.substr(prefix.size(), close - prefix.size())), &figure};
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> radio_measurements(const std::vector<RadioCost>& costs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& cost : costs)
    for (const auto& figure : radio_figures()) out.emplace_back(radio_measurement_name(cost.kind, figure), figure.text(cost));
  return out;
}

}  // namespace fc::record
