// Plain-text renderings of a case's timeline and trace, shared by JUnit, Markdown and HTML.
#pragma once

#include <string>
#include <string_view>

#include "suite/record/case_record.h"

namespace fc::reports {

// A trace note (Trace::note): no peer and no code.
bool is_trace_note(const coap::TraceEntry& entry);
// The payload's size as sent: the trace cuts long payloads and notes "payload 1024B, first 256B kept".
std::size_t payload_size(const coap::TraceEntry& entry);
// The entry's note says nothing but that its payload was cut.
bool only_truncation_note(const coap::TraceEntry& entry);
// 2 for Block2, 1 for Block1, 0 when the entry is not part of a block exchange a report may fold
// or summarise: notes, RSTs, error responses and messages with a note of their own (a fault, a
// drop) always stand alone.
int block_exchange_option(const coap::TraceEntry& entry);

// "+0.0ms State 0 (observe)" per line.
std::string timeline_text(const record::CaseRecord& record);
// "+12.3ms → lwm2m 127.0.0.1:40123 CON 0.01 GET mid=1 … [note]" per line.
std::string trace_text(const record::CaseRecord& record);
// "12.345" seconds with three decimals (the SUREFIRE_TIME form).
std::string seconds_text(Clock::duration duration);
// Every finding of the case, one headline a line, with its detail indented under it.
std::string findings_text(const record::CaseRecord& record);
// The first finding's headline, or the reason's first line, or "".
std::string headline(const record::CaseRecord& record);

}  // namespace fc::reports
