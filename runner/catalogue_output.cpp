#include "runner/catalogue_output.h"

#include <algorithm>
#include <fmt/format.h>
#include <ostream>
#include <string>
#include <tuple>

#include "suite/record/case_meta.h"

namespace fc::runner {

using fc::record::Catalogue;

void list_cases(std::ostream& out) {
  out << fmt::format("{:<18} {:<7} {:<5} {}\n", "ID", "LEVEL", "ETS", "CASE / REQUIREMENT");
  for (const auto& c : Catalogue::instance().all()) {
    std::string needs;
    for (auto n : c.needs) needs += (needs.empty() ? "" : ", ") + fc::record::to_string(n);
    for (auto f : c.faults) needs += (needs.empty() ? "" : ", ") + ("fault " + fc::record::to_string(f));
    out << fmt::format("{:<18} {:<7} {:<5} {}.{}\n{:<32}{}\n", c.id, fc::record::to_string(c.level),
                             c.ets ? std::to_string(*c.ets) : "-", c.area, c.name, "", c.requirement);
    if (!needs.empty()) out << fmt::format("{:<32}needs: {}\n", "", needs);
  }
  out << Catalogue::instance().all().size() << " cases\n";
}

namespace {
std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out.empty() ? "-" : out;
}

}  // namespace

void print_catalogue_markdown(std::ostream& out) {
  auto cases = Catalogue::instance().all();
  std::stable_sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
    return std::tie(a.area, a.id) < std::tie(b.area, b.id);
  });
  out << "# fotacheck case catalogue\n\n"
            << "Generated from the cases' metadata (`FOTA_CASE`, suite/record/case_meta.h); do not edit by hand.\n"
            << "Regenerate with `fotacheck --catalogue-markdown > docs/catalogue.md`.\n\n"
            << cases.size() << " cases. Levels: MUST cases decide the exit status; SHOULD and INFO cases are reported.\n";
  for (std::size_t i = 0; i < cases.size();) {
    const auto& area = cases[i].area;
    std::size_t end = i;
    while (end < cases.size() && cases[end].area == area) ++end;
    out << fmt::format("\n## {} ({} case{})\n\n", area, end - i, end - i == 1 ? "" : "s")
              << "| ID | Level | ETS | Clause | Requirement | Needs | Faults |\n|---|---|---|---|---|---|---|\n";
    for (; i < end; ++i) {
      const auto& c = cases[i];
      std::string needs, faults;
      for (auto n : c.needs) needs += (needs.empty() ? "" : ", ") + fc::record::to_string(n);
      for (auto f : c.faults) faults += (faults.empty() ? "" : ", ") + fc::record::to_string(f);
      out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(c.id),
                               fc::record::to_string(c.level), c.ets ? std::to_string(*c.ets) : "-",
                               markdown_cell(c.clause), markdown_cell(c.requirement), markdown_cell(needs),
                               markdown_cell(faults));
    }
  }
}

}  // namespace fc::runner
