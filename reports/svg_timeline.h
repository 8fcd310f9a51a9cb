// A case's State and Update Result over time as an inline SVG: two step lanes on one time axis.
#pragma once

#include <string>

#include "suite/record/case_record.h"

namespace fc::reports {

// Empty when the timeline holds nothing. Self-contained (no external fonts or styles).
std::string timeline_svg(const record::CaseRecord& record);

}  // namespace fc::reports
