#include "suite/record/case_meta.h"

#include <stdexcept>

namespace fc::record {

std::string to_string(Level level) {
  switch (level) {
    case Level::Must: return "MUST";
    case Level::Should: return "SHOULD";
    case Level::Info: return "INFO";
  }
  return "?";
}

std::string to_string(Phase phase) {
  switch (phase) {
    case Phase::Updating: return "a long State 3 (Updating)";
  }
  return "?";
}

MetaSetter id(std::string value) {
  return {[v = std::move(value)](CaseMeta& m) { m.id = v; }};
}
MetaSetter title(std::string value) {
  return {[v = std::move(value)](CaseMeta& m) { m.title = v; }};
}
MetaSetter requirement(std::string value) {
  return {[v = std::move(value)](CaseMeta& m) { m.requirement = v; }};
}
MetaSetter clause(std::string value) {
  return {[v = std::move(value)](CaseMeta& m) { m.clause = v; }};
}
MetaSetter ets(int value) {
  return {[value](CaseMeta& m) { m.ets = value; }};
}
MetaSetter level(Level value) {
  return {[value](CaseMeta& m) { m.level = value; }};
}

Catalogue& Catalogue::instance() {
  static Catalogue catalogue;
  return catalogue;
}

bool Catalogue::add(CaseMeta meta) {
  for (const auto& c : cases_)
    if (c.id == meta.id) throw std::logic_error("two cases share the id " + meta.id);
  if (meta.id.empty() || meta.requirement.empty())
    throw std::logic_error("case " + meta.area + "." + meta.name + " lacks an id or a requirement");
  cases_.push_back(std::move(meta));
  return true;
}

const CaseMeta* Catalogue::find(const std::string& area, const std::string& name) const {
  for (const auto& c : cases_)
    if (c.area == area && c.name == name) return &c;
  return nullptr;
}

}  // namespace fc::record
