// The transfer summariser: first and last blocks kept in full, the middle counted, findings'
// messages kept and their trace_index moved with them; results.json keeps the summaries.
#include <gtest/gtest.h>

#include "reports/case_text.h"
#include "reports/markdown_summary.h"
#include "reports/results_json.h"
#include "reports/transfer_summary.h"
#include "suite/coap/trace.h"
#include "suite/record/radio_cost.h"

namespace fc::reports {
namespace {

using coap::Direction;
using coap::TraceEntry;

const Clock::time_point kStart = Clock::time_point{} + std::chrono::hours(1);
constexpr const char* kDevice = "127.0.0.1:40000";
constexpr const char* kServer = "127.0.0.1:5683";

TraceEntry message(int ms, Direction direction, const char* channel, const char* peer, coap::Message m) {
  TraceEntry e;
  e.time = kStart + std::chrono::milliseconds(ms);
  e.direction = direction;
  e.channel = channel;
  e.peer = peer;
  e.message = std::move(m);
  return e;
}

// A Block2 download of `blocks` blocks of 1024 B on repository-coap, a State notification on
// lwm2m after the tenth block; `repeat_block` is requested twice with the same message ID.
record::CaseRecord download(std::uint32_t blocks, std::optional<std::uint32_t> repeat_block = {}) {
  record::CaseRecord r;
  r.meta.area = "Pull";
  r.meta.name = "Download";
  r.started = r.trace_origin = kStart;
  int t = 0;
  auto exchange = [&](std::uint32_t num) {
    coap::Message get;
    get.type = coap::MessageType::Con;
    get.code = coap::code::Get;
    get.message_id = static_cast<std::uint16_t>(100 + num);
    get.uri_path = {"fw", "pkg.bin"};
    get.block2 = coap::BlockOption{num, false, 6};
    coap::Message content;
    content.type = coap::MessageType::Ack;
    content.code = coap::code::Content;
    content.message_id = get.message_id;
    content.block2 = coap::BlockOption{num, num + 1 < blocks, 6};
    content.payload.assign(1024, std::uint8_t{0x5a});
    r.trace.push_back(message(t++, Direction::Received, "repository-coap", kDevice, get));
    r.trace.push_back(message(t++, Direction::Sent, "repository-coap", kDevice, content));
  };
  for (std::uint32_t num = 0; num < blocks; ++num) {
    exchange(num);
    if (repeat_block && num == *repeat_block) exchange(num);
    if (num == 9) {
      coap::Message notify;
      notify.type = coap::MessageType::Non;
      notify.code = coap::code::Content;
      notify.observe = 3;
      notify.payload = {'1'};
      r.trace.push_back(message(t++, Direction::Received, "lwm2m", kServer, notify));
    }
  }
  r.ended = kStart + std::chrono::milliseconds(t);
  return r;
}

RunRecord run_of(const record::CaseRecord& c) {
  RunRecord run;
  run.origin = kStart;
  run.cases.push_back(c);
  return run;
}

std::size_t summaries_in(const record::CaseRecord& r) {
  std::size_t n = 0;
  for (const auto& e : r.trace) n += is_trace_note(e) && e.note.find("left out") != std::string::npos;
  return n;
}

TEST(TransferSummary, KeepsFirstAndLastBlocksAndCountsTheMiddle) {
  auto r = download(100);
  ASSERT_EQ(r.trace.size(), 201u);
  summarise_transfers(r);
  // Block 0's request and response, the summary, the notification (its place kept), block 99's two.
  ASSERT_EQ(r.trace.size(), 6u);
  EXPECT_EQ(r.trace[0].message.block2->num, 0u);
  EXPECT_EQ(r.trace[1].message.block2->num, 0u);
  EXPECT_TRUE(is_trace_note(r.trace[2]));
  EXPECT_EQ(r.trace[3].channel, "lwm2m");
  EXPECT_EQ(r.trace[4].message.block2->num, 99u);
  EXPECT_FALSE(r.trace[5].message.block2->more);
  ASSERT_EQ(r.transfers.size(), 1u);
  const auto& s = r.transfers[0];
  EXPECT_EQ(s.trace_index, 2u);
  EXPECT_EQ(s.block_option, 2);
  EXPECT_EQ(s.first_block, 1u);
  EXPECT_EQ(s.last_block, 98u);
  EXPECT_EQ(s.blocks, 98u);
  EXPECT_EQ(s.messages, 196u);
  EXPECT_EQ(s.payload_bytes, 98u * 1024u);
  EXPECT_EQ(s.retransmissions, 0u);
  EXPECT_EQ(r.trace[2].note, transfer_summary_text(s));
}

TEST(TransferSummary, CountsRetransmissions) {
  auto r = download(50, 20);
  summarise_transfers(r);
  ASSERT_EQ(r.transfers.size(), 1u);
  EXPECT_EQ(r.transfers[0].retransmissions, 2u);  // the repeated request and its repeated answer
  EXPECT_EQ(r.transfers[0].messages, 98u);
}

TEST(TransferSummary, AFindingsMessageStaysAndItsIndexFollowsIt) {
  auto r = download(100);
  record::Finding mid_transfer;
  mid_transfer.action = "block 50";
  mid_transfer.trace_index = 2 * 50 + 1 + 1;  // block 50's response (after the notification)
  ASSERT_EQ(r.trace[*mid_transfer.trace_index].message.block2->num, 50u);
  record::Finding last;
  last.trace_index = r.trace.size() - 1;
  r.findings = {mid_transfer, last};
  summarise_transfers(r);
  ASSERT_EQ(r.transfers.size(), 2u);  // before and after the kept message
  const auto& kept = r.trace.at(*r.findings[0].trace_index);
  ASSERT_TRUE(kept.message.block2);
  EXPECT_EQ(kept.message.block2->num, 50u);
  EXPECT_EQ(kept.direction, Direction::Sent);
  EXPECT_EQ(*r.findings[1].trace_index, r.trace.size() - 1);
  EXPECT_EQ(r.transfers[0].messages + r.transfers[1].messages + 1, 196u);
}

// A push on the LwM2M channel: the device's notifications in between neither end the transfer
// nor get summarised; an error answer splits the summary and stays visible between the two.
TEST(TransferSummary, NotificationsStayAndAnErrorSplitsTheSummary) {
  record::CaseRecord r;
  r.started = r.trace_origin = kStart;
  int t = 0;
  for (std::uint32_t num = 0; num < 60; ++num) {
    coap::Message put;
    put.type = coap::MessageType::Con;
    put.code = coap::code::Put;
    put.message_id = static_cast<std::uint16_t>(num);
    put.uri_path = {"5", "0", "0"};
    put.block1 = coap::BlockOption{num, num + 1 < 60, 5};
    put.payload.assign(512, std::uint8_t{1});
    coap::Message answer;
    answer.type = coap::MessageType::Ack;
    answer.code = num + 1 < 60 ? coap::code::Continue : coap::code::Changed;
    answer.message_id = put.message_id;
    answer.block1 = put.block1;
    r.trace.push_back(message(t++, Direction::Sent, "lwm2m", kServer, put));
    if (num == 30) {  // the device refuses once; the server sends block 30 again
      coap::Message refused = answer;
      refused.code = coap::Code(4, 8);
      refused.block1.reset();
      r.trace.push_back(message(t++, Direction::Received, "lwm2m", kServer, refused));
      r.trace.push_back(message(t++, Direction::Sent, "lwm2m", kServer, put));
    }
    r.trace.push_back(message(t++, Direction::Received, "lwm2m", kServer, answer));
    if (num == 5 || num == 40) {
      coap::Message notify;
      notify.type = coap::MessageType::Con;
      notify.code = coap::code::Content;
      notify.message_id = static_cast<std::uint16_t>(900 + num);
      notify.observe = num;
      r.trace.push_back(message(t++, Direction::Received, "lwm2m", kServer, notify));
    }
  }
  summarise_transfers(r);
  ASSERT_EQ(r.transfers.size(), 2u);
  EXPECT_EQ(r.transfers[0].block_option, 1);
  EXPECT_EQ(r.transfers[0].first_block, 1u);
  EXPECT_EQ(r.transfers[0].last_block, 30u);   // up to the refused block 30
  EXPECT_EQ(r.transfers[1].first_block, 30u);  // from its repetition
  EXPECT_EQ(r.transfers[1].last_block, 58u);
  EXPECT_EQ(r.transfers[1].retransmissions, 1u);  // the repeated PUT of block 30 (same message ID)
  std::size_t notifications = 0, refusals = 0;
  for (const auto& e : r.trace) {
    notifications += e.message.observe.has_value();
    refusals += e.message.code == coap::Code(4, 8);
  }
  EXPECT_EQ(notifications, 2u);
  EXPECT_EQ(refusals, 1u);
  EXPECT_EQ(r.trace.size(), 2u + 1 + 1 + 1 + 1 + 1 + 2);  // block 0, summary, notif, 4.08, summary, notif, block 59
}

TEST(TransferSummary, ShortTransfersAndASecondPassChangeNothing) {
  auto short_one = download(3);
  auto before = short_one.trace.size();
  summarise_transfers(short_one);
  EXPECT_EQ(short_one.trace.size(), before);
  EXPECT_TRUE(short_one.transfers.empty());

  auto r = download(100);
  summarise_transfers(r);
  auto once = results_document(run_of(r));
  summarise_transfers(r);
  EXPECT_EQ(results_document(run_of(r)), once);
  EXPECT_EQ(summaries_in(r), 1u);
}

TEST(TransferSummary, ResultsJsonKeepsTheSummaryAndReadsItBack) {
  auto r = download(100);
  summarise_transfers(r);
  auto run = run_of(r);
  auto text = results_document(run);
  auto back = parse_results(text, "results.json");
  EXPECT_EQ(results_document(back), text);
  ASSERT_EQ(back.cases.at(0).transfers.size(), 1u);
  const auto& s = back.cases[0].transfers[0];
  EXPECT_EQ(s.trace_index, 2u);
  EXPECT_EQ(s.messages, 196u);
  EXPECT_EQ(s.payload_bytes, 98u * 1024u);
  auto doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["cases"][0]["trace"][2]["transfer"]["blocks"], 98);
  EXPECT_EQ(doc["format_version"], kResultsFormatVersion);
}

// A version 2 file (whole transfers, head first) is still read, its transfers summarised.
TEST(TransferSummary, AVersionTwoFileIsReadAndSummarised) {
  auto doc = nlohmann::json::parse(results_document(run_of(download(100))));
  doc["format_version"] = 2;
  auto back = parse_results(doc.dump(), "old.json");
  ASSERT_EQ(back.cases.at(0).transfers.size(), 1u);
  EXPECT_EQ(back.cases[0].trace.size(), 6u);
  doc["format_version"] = 1;
  EXPECT_THROW(parse_results(doc.dump(), "older.json"), ResultsFormatError);
}

// The run's trace lets go of a finished case's messages; marks taken before stay valid.
TEST(RunTrace, ReleasedEntriesAreGoneAndMarksStayValid) {
  coap::Trace trace;
  for (int i = 0; i < 5; ++i) trace.note("lwm2m", "first case " + std::to_string(i));
  auto second_case = trace.mark();
  EXPECT_EQ(second_case, 5u);
  trace.release_before(second_case);
  EXPECT_TRUE(trace.entries(0).empty());
  EXPECT_EQ(trace.mark(), 5u);
  trace.note("lwm2m", "second case");
  ASSERT_EQ(trace.entries(second_case).size(), 1u);
  EXPECT_EQ(trace.entries(second_case)[0].note, "second case");
  EXPECT_EQ(trace.entries(0).size(), 1u);  // from before the release: what is left
  trace.release_before(2);                 // already released: nothing happens
  EXPECT_EQ(trace.mark(), 6u);
  trace.note("lwm2m", "third case");
  auto taken = trace.take(6);  // moved out; everything released
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].note, "third case");
  EXPECT_TRUE(trace.entries(0).empty());
  EXPECT_EQ(trace.mark(), 7u);
}

// The trace keeps its entries in chunks (up to 1024 each): a long case's order, positions and
// partial releases hold across chunk boundaries, and a cut payload keeps its size in the note.
TEST(RunTrace, LongTracesKeepOrderAndPositionsAcrossChunks) {
  coap::Trace trace(4);
  for (int i = 0; i < 3000; ++i) trace.note("lwm2m", std::to_string(i));
  trace.release_before(1500);  // in the middle of a chunk
  auto kept = trace.entries(0);
  ASSERT_EQ(kept.size(), 1500u);
  EXPECT_EQ(kept.front().note, "1500");
  EXPECT_EQ(kept.back().note, "2999");
  EXPECT_EQ(trace.entries(2047).front().note, "2047");
  coap::Message block;
  block.code = coap::code::Content;
  block.payload = Bytes{1, 2, 3, 4, 5, 6};
  trace.record(coap::Direction::Sent, "repository-coap", "127.0.0.1:1", "127.0.0.1:2", block);
  EXPECT_EQ(trace.mark(), 3001u);
  auto taken = trace.take(2999);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].note, "2999");
  EXPECT_EQ(taken[1].message.payload, (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(coap::payload_size(taken[1]), 6u);
  EXPECT_EQ(coap::shown_note(taken[1]), "payload 6B, first 4B kept");
  EXPECT_EQ(trace.mark(), 3001u);
  trace.note("lwm2m", "next case");
  EXPECT_EQ(trace.entries(3001).at(0).note, "next case");
}

}  // namespace
}  // namespace fc::reports

namespace fc::reports {
namespace {

// Radio cost (suite/record/radio_cost.h) of an 8-block download whose block 3 was asked twice
// with one message ID, reaching State 2 20 ms after the first block.
record::CaseRecord costed_download() {
  auto r = download(8, 3);
  r.timeline.add(record::TimelineEntry{kStart + std::chrono::milliseconds(20), record::FirmwareResource::State, 2, "notify"});
  for (auto& m : record::radio_measurements(record::radio_costs(r.trace, r.timeline))) r.measurements.push_back(m);
  return r;
}

TEST(RadioCost, CountsRoundTripsDatagramsBytesAndRetransmissions) {
  auto r = costed_download();
  auto costs = record::radio_costs(r.trace, r.timeline);
  ASSERT_EQ(costs.size(), 1u);
  const auto& c = costs[0];
  EXPECT_EQ(c.kind, "pull");
  EXPECT_EQ(c.firmware_bytes, 8u * 1024u);
  EXPECT_EQ(c.delivered_bytes, 9u * 1024u);
  EXPECT_EQ(c.round_trips, 8u);
  EXPECT_EQ(c.datagrams, 18u);
  EXPECT_EQ(c.retransmissions, 1u);
  EXPECT_GT(c.coap_bytes, c.delivered_bytes);
  EXPECT_EQ(c.ip_bytes, c.coap_bytes + 18u * 28u);
  ASSERT_TRUE(c.to_downloaded);
  EXPECT_EQ(*c.to_downloaded, std::chrono::milliseconds(20));
}

TEST(RadioCost, NoTransferNoFigures) {
  record::CaseRecord r;
  EXPECT_TRUE(record::radio_costs(r.trace, r.timeline).empty());
}

// The figures are measurements named from one table: results.json keeps them, the reports find
// them again by name, and the Markdown summary tables them.
TEST(RadioCost, MeasurementsSurviveResultsJsonAndReachTheReports) {
  auto r = costed_download();
  auto back = parse_results(results_document(run_of(r)), "results.json");
  auto rows = radio_rows(back.cases.at(0));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].first, "pull");
  ASSERT_EQ(rows[0].second.size(), record::radio_figures().size());
  EXPECT_EQ(rows[0].second[0], "8");                     // round trips
  EXPECT_EQ(rows[0].second[4], "1");                     // retransmissions
  EXPECT_EQ(rows[0].second[5], "1.12");                  // re-download ratio
  EXPECT_EQ(rows[0].second[6], "20.0 ms");               // time to Downloaded
  for (const auto& figure : record::radio_figures()) {
    auto name = record::radio_measurement_name("push", figure);
    auto parsed = record::radio_figure_of(name);
    ASSERT_TRUE(parsed) << name;
    EXPECT_EQ(parsed->first, "push");
    EXPECT_EQ(parsed->second->name, figure.name);
  }
  EXPECT_FALSE(record::radio_figure_of("radio (pull): colour"));
  EXPECT_FALSE(record::radio_figure_of("repository /fw/a.bin"));
  auto summary = markdown_summary(back, "report.html");
  EXPECT_NE(summary.find("### Radio cost of the transfers"), std::string::npos);
  EXPECT_NE(summary.find("| Pull.Download | pull | 8 | 18 |"), std::string::npos) << summary;
}

// A request recorded once its handler is done (record_at) keeps the place it had when it came:
// before what the handler recorded meanwhile, also across a chunk boundary.
TEST(RunTrace, RecordAtKeepsThePlaceOfItsMark) {
  coap::Trace trace;
  for (int i = 0; i < 16; ++i) trace.note("lwm2m", std::to_string(i));  // the first chunk, full
  auto place = trace.mark();
  auto came = Clock::now();
  trace.note("lwm2m", "the handler's note");  // the first of a second chunk
  trace.note("lwm2m", "and another");
  coap::Message request;
  request.code = coap::code::Get;
  trace.record_at(place, came, coap::Direction::Received, "lwm2m", "127.0.0.1:1", "127.0.0.1:2", request);
  auto late = trace.mark();
  trace.record_at(late, Clock::now(), coap::Direction::Received, "lwm2m", "127.0.0.1:1", "127.0.0.1:2", request);
  auto all = trace.entries(0);
  ASSERT_EQ(all.size(), 20u);
  EXPECT_EQ(all[15].note, "15");
  EXPECT_EQ(all[16].message.code, coap::code::Get);
  EXPECT_EQ(all[16].time, came);
  EXPECT_EQ(all[17].note, "the handler's note");
  EXPECT_EQ(all[18].note, "and another");
  EXPECT_EQ(all[19].message.code, coap::code::Get);
  EXPECT_EQ(trace.mark(), 20u);
}

// A note with text of its own and a cut payload reads back as both.
TEST(RunTrace, ShownNoteReadsBackAsNoteAndCut) {
  coap::TraceEntry e;
  e.note = "impairment: delayed";
  e.cut_payload_size = 1024;
  e.message.payload = Bytes(256, 0);
  EXPECT_EQ(coap::shown_note(e), "impairment: delayed; payload 1024B, first 256B kept");
  coap::TraceEntry back;
  back.message.payload = e.message.payload;
  coap::read_shown_note(back, coap::shown_note(e));
  EXPECT_EQ(back.note, "impairment: delayed");
  EXPECT_EQ(back.cut_payload_size, 1024u);
  coap::read_shown_note(back, "payload 9B is not a cut");
  EXPECT_EQ(back.note, "payload 9B is not a cut");
  EXPECT_EQ(back.cut_payload_size, 0u);
}

}  // namespace
}  // namespace fc::reports
