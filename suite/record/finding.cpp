#include "suite/record/finding.h"

namespace fc::record {

std::string headline(const Finding& finding, const std::string& clause) {
  std::string out = finding.action;
  if (!finding.expected.empty() || !finding.observed.empty()) {
    if (!out.empty()) out += ": ";
    if (!finding.expected.empty()) out += "expected " + finding.expected;
    if (!finding.observed.empty()) out += (finding.expected.empty() ? "got " : ", got ") + finding.observed;
  }
  const std::string& why = finding.requirement.empty() ? clause : finding.requirement;
  if (!why.empty()) out += " (" + why + ")";
  return out;
}

}  // namespace fc::record
