#include "refclient/client/attributes.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace fc::refclient {
namespace {

bool is_period(const std::string& name) {
  return name == "pmin" || name == "pmax" || name == "epmin" || name == "epmax";
}
bool is_threshold(const std::string& name) { return name == "gt" || name == "lt" || name == "st"; }

std::uint32_t parse_period(const std::string& name, const std::string& text) {
  std::uint32_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    throw AttributeError(fmt::format("attribute {}: '{}' is not a non-negative integer of seconds", name, text));
  }
  return value;
}

double parse_number(const std::string& name, const std::string& text) {
  double value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value)) {
    throw AttributeError(fmt::format("attribute {}: '{}' is not a decimal number", name, text));
  }
  if (name == "st" && value < 0) throw AttributeError(fmt::format("attribute st: {} is negative", text));
  return value;
}

void set(NotificationAttributes& attributes, const AttributeUpdate& update) {
  const auto& name = update.name;
  const auto& value = update.value;
  if (is_period(name)) {
    std::optional<std::uint32_t> period;
    if (value) period = parse_period(name, *value);
    if (name == "pmin") attributes.pmin = period;
    if (name == "pmax") attributes.pmax = period;
    if (name == "epmin") attributes.epmin = period;
    if (name == "epmax") attributes.epmax = period;
    return;
  }
  std::optional<double> number;
  if (value) number = parse_number(name, *value);
  if (name == "gt") attributes.gt = number;
  if (name == "lt") attributes.lt = number;
  if (name == "st") attributes.st = number;
}

template <typename T>
void inherit(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

}  // namespace

std::vector<AttributeUpdate> parse_attribute_queries(const std::vector<std::string>& queries) {
  if (queries.empty()) throw AttributeError("Write-Attributes without any attribute");
  std::vector<AttributeUpdate> updates;
  for (const auto& query : queries) {
    const auto eq = query.find('=');
    AttributeUpdate update{query.substr(0, eq), std::nullopt};
    if (eq != std::string::npos) update.value = query.substr(eq + 1);
    if (!is_period(update.name) && !is_threshold(update.name)) {
      throw AttributeError(fmt::format("unknown attribute '{}'", update.name));
    }
    // Validate now so that a bad value rejects the whole request before anything is stored.
    NotificationAttributes scratch;
    set(scratch, update);
    updates.push_back(std::move(update));
  }
  return updates;
}

void AttributeStore::apply(const lwm2m::Path& path, const std::vector<std::string>& queries) {
  const auto updates = parse_attribute_queries(queries);
  auto attributes = at(path);
  for (const auto& update : updates) set(attributes, update);
  if (attributes.empty()) {
    by_path_.erase(path);
  } else {
    by_path_[path] = attributes;
  }
}

NotificationAttributes AttributeStore::at(const lwm2m::Path& path) const {
  const auto found = by_path_.find(path);
  return found == by_path_.end() ? NotificationAttributes{} : found->second;
}

NotificationAttributes AttributeStore::effective(const lwm2m::Path& path) const {
  NotificationAttributes result;
  std::vector<std::uint16_t> ids;
  for (auto id : path.ids()) {
    ids.push_back(id);
    const auto level = at(lwm2m::Path(ids));
    inherit(result.pmin, level.pmin);
    inherit(result.pmax, level.pmax);
    inherit(result.gt, level.gt);
    inherit(result.lt, level.lt);
    inherit(result.st, level.st);
    inherit(result.epmin, level.epmin);
    inherit(result.epmax, level.epmax);
  }
  return result;
}

std::vector<lwm2m::LinkAttribute> AttributeStore::link_attributes(const lwm2m::Path& path) const {
  const auto attributes = at(path);
  std::vector<lwm2m::LinkAttribute> links;
  auto add = [&links](const char* name, const auto& value) {
    if (value) links.push_back({name, fmt::format("{}", *value)});
  };
  add("pmin", attributes.pmin);
  add("pmax", attributes.pmax);
  add("gt", attributes.gt);
  add("lt", attributes.lt);
  add("st", attributes.st);
  add("epmin", attributes.epmin);
  add("epmax", attributes.epmax);
  return links;
}

bool passes_change_conditions(const NotificationAttributes& attributes, std::optional<double> last_notified,
                              double current) {
  if (!attributes.gt && !attributes.lt && !attributes.st) return true;
  if (!last_notified) return true;
  const double last = *last_notified;
  if (attributes.st && std::fabs(current - last) >= *attributes.st) return true;
  if (attributes.gt && ((last > *attributes.gt) != (current > *attributes.gt))) return true;
  if (attributes.lt && ((last < *attributes.lt) != (current < *attributes.lt))) return true;
  return false;
}

}  // namespace fc::refclient
