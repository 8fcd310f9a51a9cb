// JUnit XML as Jenkins' xUnit schema (junit-10.xsd) accepts it: one testsuite per area, one
// testcase per case, verdicts mapped honestly (docs/reports.md).
#pragma once

#include <filesystem>
#include <string>

#include <pugixml.hpp>

#include "reports/run_record.h"

namespace fc::reports {

// The schema allows no properties on a testcase, so a case's id, clause, ETS case, level and
// verdict go to its testsuite's properties as "<label>.<key>" and to the head of system-out.
void build_junit(const RunRecord& record, pugi::xml_document& document);
std::string junit_text(const RunRecord& record);
void write_junit(const RunRecord& record, const std::filesystem::path& file);

// The testcase name: "FU-OBJ-751 ReadsState" (id first: it is the stable part).
std::string junit_case_name(const record::CaseRecord& record);

}  // namespace fc::reports
