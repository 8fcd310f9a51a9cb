#include "runner/catalogue_output.h"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <tuple>

#include "suite/record/case_meta.h"

namespace fc::runner {

using fc::record::Catalogue;

namespace {

std::vector<const fc::record::CaseMeta*> every_case() {
  std::vector<const fc::record::CaseMeta*> cases;
  for (const auto& c : Catalogue::instance().all()) cases.push_back(&c);
  return cases;
}

void list_plain(std::ostream& out, const std::vector<const fc::record::CaseMeta*>& cases) {
  out << fmt::format("{:<18} {:<7} {:<5} {}\n", "ID", "LEVEL", "ETS", "CASE / REQUIREMENT");
  for (const auto* case_meta : cases) {
    const auto& c = *case_meta;
    std::string needs;
    for (auto n : c.needs) needs += (needs.empty() ? "" : ", ") + fc::record::to_string(n);
    for (auto f : c.faults) needs += (needs.empty() ? "" : ", ") + ("fault " + fc::record::to_string(f));
    for (auto p : c.acts_in) needs += (needs.empty() ? "" : ", ") + fc::record::to_string(p) + " (timing.install_time)";
    out << fmt::format("{:<18} {:<7} {:<5} {}.{}\n{:<32}{}\n", c.id, fc::record::to_string(c.level),
                             c.ets ? std::to_string(*c.ets) : "-", c.area, c.name, "", c.requirement);
    if (!needs.empty()) out << fmt::format("{:<32}needs: {}\n", "", needs);
  }
  out << cases.size() << " cases\n";
}

// One object per case, every field of the metadata table, so a script needs no parsing.
void list_json(std::ostream& out, const std::vector<const fc::record::CaseMeta*>& cases) {
  auto list = nlohmann::json::array();
  for (const auto* c : cases) {
    nlohmann::json needs = nlohmann::json::array(), faults = nlohmann::json::array(), acts_in = nlohmann::json::array();
    for (auto n : c->needs) needs.push_back(fc::record::to_string(n));
    for (auto f : c->faults) faults.push_back(fc::record::to_string(f));
    for (auto p : c->acts_in) acts_in.push_back(fc::record::to_string(p));
    list.push_back({{"id", c->id},
                    {"area", c->area},
                    {"name", c->name},
                    {"title", c->title},
                    {"level", fc::record::to_string(c->level)},
                    {"ets", c->ets ? nlohmann::json(*c->ets) : nlohmann::json(nullptr)},
                    {"clause", c->clause},
                    {"requirement", c->requirement},
                    {"needs", needs},
                    {"faults", faults},
                    {"acts_in", acts_in}});
  }
  out << list.dump(2) << "\n";
}

}  // namespace

std::optional<ListFormat> list_format_named(const std::string& name) {
  if (name == "plain") return ListFormat::Plain;
  if (name == "json") return ListFormat::Json;
  if (name == "markdown") return ListFormat::Markdown;
  return std::nullopt;
}

void list_cases(std::ostream& out, const std::vector<const fc::record::CaseMeta*>& cases, ListFormat format) {
  switch (format) {
    case ListFormat::Plain: return list_plain(out, cases);
    case ListFormat::Json: return list_json(out, cases);
    case ListFormat::Markdown: return print_catalogue_markdown(out, cases);
  }
}

void list_cases(std::ostream& out) { list_plain(out, every_case()); }

namespace {
std::string markdown_cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out.empty() ? "-" : out;
}

}  // namespace

void print_catalogue_markdown(std::ostream& out) { print_catalogue_markdown(out, every_case()); }

void print_catalogue_markdown(std::ostream& out, const std::vector<const fc::record::CaseMeta*>& selected) {
  std::vector<fc::record::CaseMeta> cases;
  for (const auto* c : selected) cases.push_back(*c);
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
      for (auto p : c.acts_in) needs += (needs.empty() ? "" : ", ") + fc::record::to_string(p) + " (timing.install_time)";
      for (auto f : c.faults) faults += (faults.empty() ? "" : ", ") + fc::record::to_string(f);
      out << fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", markdown_cell(c.id),
                               fc::record::to_string(c.level), c.ets ? std::to_string(*c.ets) : "-",
                               markdown_cell(c.clause), markdown_cell(c.requirement), markdown_cell(needs),
                               markdown_cell(faults));
    }
  }
}

}  // namespace fc::runner
