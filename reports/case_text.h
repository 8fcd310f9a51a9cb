// Plain-text renderings of a case's timeline and trace, shared by JUnit, Markdown and HTML.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "suite/record/case_record.h"

namespace fc::reports {

// How trace entries are classified lives with the trace (suite/coap/trace.h).
using coap::block_exchange_option;
using coap::is_trace_note;
using coap::payload_size;
using coap::shown_note;

// The case's radio-cost figures (suite/record/radio_cost.h), one row per kind ("pull", "push")
// with a value for every figure of record::radio_figures() in order ("" where absent).
using RadioRow = std::pair<std::string, std::vector<std::string>>;
std::vector<RadioRow> radio_rows(const record::CaseRecord& record);

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
