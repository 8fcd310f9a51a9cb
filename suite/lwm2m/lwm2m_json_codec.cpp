// application/vnd.oma.lwm2m+json (LwM2M TS Core 1.0 §6.4.4), superseded by SenML JSON in 1.1:
// {"bn": base name, "bt": base time, "e": [{"n", "t", and one of "v" "bv" "sv" "ov"}]}.
// Names resolve as bn + n, like SenML; unlike SenML, bn and bt appear once, on the root.
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "suite/lwm2m/base64.h"
#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/located_json.h"
#include "suite/lwm2m/senml_record.h"

namespace fc::lwm2m {
namespace {

using detail::JsonNode;
using detail::Located;
using detail::SenmlFields;

constexpr auto kFormat = ContentFormat::LwM2mJson;
// Root object, "e" array and entry objects, plus one: a payload of another shape then fails
// on its shape rather than on its depth.
constexpr std::size_t kMaxDepth = 4;

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(kFormat, offset, problem);
}

const JsonNode& expect(const JsonNode& node, JsonNode::Kind kind, std::string_view label) {
  return detail::expect_kind(kFormat, node, kind, label);
}

void check_unique(const JsonNode& object) {
  std::set<std::string_view> seen;
  for (const auto& key : object.keys) {
    if (!seen.insert(key.text).second) fail(key.offset, "\"" + key.text + "\" appears twice");
  }
}

Value number_value(const JsonNode& node) { return detail::json_number_value(node); }

SenmlFields read_entry(const JsonNode& entry) {
  if (entry.kind != JsonNode::Kind::Object) {
    fail(entry.offset,
         "an \"e\" entry must be an object, got " + std::string(detail::describe(entry.kind)));
  }
  check_unique(entry);
  SenmlFields fields;
  fields.offset = entry.offset;
  for (std::size_t i = 0; i < entry.keys.size(); ++i) {
    const auto& key = entry.keys[i];
    const auto& node = entry.elements[i];
    const auto set_value = [&](Value value) {
      if (fields.value) fail(key.offset, "entry has a second value \"" + key.text + "\"");
      fields.value = Located<Value>{std::move(value), node.offset};
    };
    if (key.text == "n") {
      fields.name =
          Located<std::string>{expect(node, JsonNode::Kind::String, key.text).text, node.offset};
    } else if (key.text == "t") {
      fields.time =
          Located<double>{expect(node, JsonNode::Kind::Float, key.text).as_double(), node.offset};
    } else if (key.text == "v") {
      set_value(number_value(expect(node, JsonNode::Kind::Float, key.text)));
    } else if (key.text == "bv") {
      set_value(Value(expect(node, JsonNode::Kind::Boolean, key.text).boolean));
    } else if (key.text == "sv") {
      set_value(Value(expect(node, JsonNode::Kind::String, key.text).text));
    } else if (key.text == "ov") {
      set_value(Value(detail::parse_objlink(kFormat, node.offset,
                                            expect(node, JsonNode::Kind::String, key.text).text)));
    }
    // Other names are not defined for entries and are ignored, as SenML does.
  }
  return fields;
}

void write_value(nlohmann::json& out, const Record& record) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          out["v"] = v;
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(v)) {
            fail(0, record.path.str() + " holds " + record.value.describe() +
                        ", which JSON cannot carry");
          }
          out["v"] = v;
        } else if constexpr (std::is_same_v<T, bool>) {
          out["bv"] = v;
        } else if constexpr (std::is_same_v<T, std::string>) {
          out["sv"] = v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out["sv"] = base64_encode(v);
        } else if constexpr (std::is_same_v<T, ObjLink>) {
          out["ov"] = detail::objlink_text(v);
        }
      },
      record.value.storage());
}

}  // namespace

TimedRecords decode_lwm2m_json_timed(const Path& base, ByteView payload) {
  const auto root = detail::parse_located_json(kFormat, payload, kMaxDepth);
  if (root.kind != JsonNode::Kind::Object) {
    fail(root.offset, "LwM2M JSON is an object with an \"e\" array, got " +
                          std::string(detail::describe(root.kind)));
  }
  check_unique(root);
  std::optional<Located<std::string>> base_name;
  std::optional<Located<double>> base_time;
  const JsonNode* entries = nullptr;
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    const auto& key = root.keys[i].text;
    const auto& node = root.elements[i];
    if (key == "bn") {
      base_name = Located<std::string>{expect(node, JsonNode::Kind::String, key).text, node.offset};
    } else if (key == "bt") {
      base_time =
          Located<double>{expect(node, JsonNode::Kind::Float, key).as_double(), node.offset};
    } else if (key == "e") {
      entries = &expect(node, JsonNode::Kind::Array, key);
    }
  }
  if (entries == nullptr) fail(root.offset, "the object has no \"e\" array of entries");

  std::vector<SenmlFields> fields;
  fields.reserve(entries->elements.size());
  for (const auto& entry : entries->elements) fields.push_back(read_entry(entry));
  // The root's bn and bt apply to every entry: give them to the first, as SenML would.
  if (!fields.empty()) {
    fields.front().base_name = base_name;
    fields.front().base_time = base_time;
  }
  return detail::resolve_senml(kFormat, base, fields, true);
}

Records decode_lwm2m_json(const Path& base, ByteView payload) {
  Records out;
  for (auto& timed : decode_lwm2m_json_timed(base, payload)) out.push_back(std::move(timed.record));
  return out;
}

Bytes encode_lwm2m_json(const Path& base, const Records& records) {
  const auto plan = detail::plan_senml(kFormat, base, records, true);
  nlohmann::json document = nlohmann::json::object();
  auto entries = nlohmann::json::array();
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].base_name) document["bn"] = *plan[i].base_name;
    nlohmann::json entry = nlohmann::json::object();
    if (plan[i].name) entry["n"] = *plan[i].name;
    write_value(entry, records[i]);
    entries.push_back(std::move(entry));
  }
  document["e"] = std::move(entries);
  try {
    return to_bytes(document.dump());
  } catch (const nlohmann::json::type_error&) {
    fail(0, "a name or string value is not valid UTF-8, which JSON text must be");
  }
}

}  // namespace fc::lwm2m
