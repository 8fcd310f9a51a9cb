// What a firmware transfer cost on the link, from the case's own trace: round trips, datagrams,
// bytes on the wire per firmware byte (CoAP alone and with UDP/IP headers), retransmissions,
// the re-download ratio and the time to Downloaded. The fixture adds them to every case with a
// transfer as measurements named from one table (radio_figures), which the reports read back.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "suite/coap/trace.h"
#include "suite/record/timeline.h"

namespace fc::record {

// One direction of delivery in a case: "pull" (Block2 from the firmware repository) or "push"
// (Block1 to the device). Several transfers of one kind (a restart, a resume) add up.
struct RadioCost {
  std::string kind;                   // "pull" or "push"
  std::size_t firmware_bytes = 0;     // the image: the furthest byte a block reached
  std::size_t delivered_bytes = 0;    // firmware payload put on the wire, repeats included
  std::size_t round_trips = 0;        // requests, retransmissions not counted
  std::size_t datagrams = 0;          // messages both ways on the transfer's channel and peer
  std::size_t coap_bytes = 0;         // their CoAP bytes (header, token, options, payload)
  std::size_t ip_bytes = 0;           // with UDP and IP headers (IPv4 28 B, IPv6 48 B each)
  std::size_t retransmissions = 0;    // requests repeating a Message ID already seen
  std::optional<Clock::duration> to_downloaded;  // first block to State 2 (Downloaded)
};

// The transfers of `trace` as the suite saw them (the repository for a pull, the LwM2M server
// for a push): a datagram the link lost before it reached the suite is not in the figures, its
// retransmission is.
std::vector<RadioCost> radio_costs(const std::vector<coap::TraceEntry>& trace, const Timeline& timeline);

// The figures, in report order: names, measurement names and the reports derive from this table.
struct RadioFigure {
  std::string_view name;  // "round trips"
  std::string (*text)(const RadioCost&);
};
const std::vector<RadioFigure>& radio_figures();

// "radio (pull): round trips"; radio_figure_of reads such a name back: the kind and the figure,
// nullopt for any other measurement name.
std::string radio_measurement_name(std::string_view kind, const RadioFigure& figure);
std::optional<std::pair<std::string, const RadioFigure*>> radio_figure_of(std::string_view measurement_name);

// Every figure of every cost as measurements (name, value).
std::vector<std::pair<std::string, std::string>> radio_measurements(const std::vector<RadioCost>& costs);

}  // namespace fc::record
