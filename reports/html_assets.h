// The stylesheet and script inlined into every HTML report, so a report needs no network.
#pragma once

namespace fc::reports {

extern const char* const kReportCss;     // screen and print
extern const char* const kReportScript;  // verdict and area filters

}  // namespace fc::reports
