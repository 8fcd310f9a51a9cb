// application/senml+json (RFC 8428 §4; LwM2M TS Core 1.1 §7.4.4): an array of records with
// the labels bn, bt, n, t, v, vs, vb, vd (base64url) and LwM2M's vlo ("3:0").
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/located_json.h"
#include "suite/lwm2m/senml_record.h"

namespace fc::lwm2m {
namespace {

using detail::JsonNode;
using detail::Located;
using detail::SenmlFields;

constexpr auto kFormat = ContentFormat::SenmlJson;
// The array of records and each record, plus one: a payload of another shape (LwM2M JSON's
// {"e": [{...}]}) then fails on its shape rather than on its depth.
constexpr std::size_t kMaxDepth = 3;

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(kFormat, offset, problem);
}

const JsonNode& expect(const JsonNode& node, JsonNode::Kind kind, std::string_view label) {
  return detail::expect_kind(kFormat, node, kind, label);
}

Located<std::string> text_field(const JsonNode& node, std::string_view label) {
  return {expect(node, JsonNode::Kind::String, label).text, node.offset};
}

Located<double> time_field(const JsonNode& node, std::string_view label) {
  return {expect(node, JsonNode::Kind::Float, label).as_double(), node.offset};
}

Value number_value(const JsonNode& node) { return detail::json_number_value(node); }

// RFC 8428 §4.4: labels ending in '_' must be understood; other unknown ones are ignored.
// bv and bs would change every value after them, which LwM2M never asks for.
void check_unknown_label(const JsonNode::Key& key) {
  if (key.text == "bv" || key.text == "bs") {
    fail(key.offset, "label \"" + key.text + "\" is a base value or sum, which LwM2M does not use");
  }
  if (!key.text.empty() && key.text.back() == '_') {
    fail(key.offset, "label \"" + key.text + "\" must be understood (ends in '_') and is not");
  }
}

SenmlFields read_record(const JsonNode& record) {
  if (record.kind != JsonNode::Kind::Object) {
    fail(record.offset,
         "a SenML record must be an object, got " + std::string(detail::describe(record.kind)));
  }
  SenmlFields fields;
  fields.offset = record.offset;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < record.keys.size(); ++i) {
    const auto& key = record.keys[i];
    const auto& node = record.elements[i];
    if (!seen.insert(key.text).second) {
      fail(key.offset, "label \"" + key.text + "\" appears twice");
    }

    const auto set_value = [&](Value value) {
      if (fields.value) {
        fail(key.offset, "record has a second value label \"" + key.text + "\"");
      }
      fields.value = Located<Value>{std::move(value), node.offset};
    };
    if (key.text == "bn") {
      fields.base_name = text_field(node, key.text);
    } else if (key.text == "bt") {
      fields.base_time = time_field(node, key.text);
    } else if (key.text == "n") {
      fields.name = text_field(node, key.text);
    } else if (key.text == "t") {
      fields.time = time_field(node, key.text);
    } else if (key.text == "v") {
      set_value(number_value(expect(node, JsonNode::Kind::Float, key.text)));
    } else if (key.text == "vs") {
      set_value(Value(text_field(node, key.text).value));
    } else if (key.text == "vb") {
      set_value(Value(expect(node, JsonNode::Kind::Boolean, key.text).boolean));
    } else if (key.text == "vd") {
      set_value(
          Value(detail::base64url_decode(kFormat, node.offset, text_field(node, key.text).value)));
    } else if (key.text == "vlo") {
      set_value(
          Value(detail::parse_objlink(kFormat, node.offset, text_field(node, key.text).value)));
    } else {
      check_unknown_label(key);
    }
  }
  return fields;
}

void write_value(nlohmann::json& out, const Record& record, const Value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          out["v"] = v;
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(v)) {
            fail(0, record.path.str() + " holds " + value.describe() + ", which JSON cannot carry");
          }
          out["v"] = v;
        } else if constexpr (std::is_same_v<T, bool>) {
          out["vb"] = v;
        } else if constexpr (std::is_same_v<T, std::string>) {
          out["vs"] = v;
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out["vd"] = detail::base64url_encode(v);
        } else if constexpr (std::is_same_v<T, ObjLink>) {
          out["vlo"] = detail::objlink_text(v);
        }
        // An empty value writes no value label; plan_senml already refused raw TLV.
      },
      value.storage());
}

}  // namespace

TimedRecords decode_senml_json_timed(const Path& base, ByteView payload) {
  const auto root = detail::parse_located_json(kFormat, payload, kMaxDepth);
  if (root.kind != JsonNode::Kind::Array) {
    fail(root.offset,
         "SenML JSON is an array of records, got " + std::string(detail::describe(root.kind)));
  }
  std::vector<SenmlFields> fields;
  fields.reserve(root.elements.size());
  for (const auto& record : root.elements) fields.push_back(read_record(record));
  return detail::resolve_senml(kFormat, base, fields, false);
}

Records decode_senml_json(const Path& base, ByteView payload) {
  Records out;
  for (auto& timed : decode_senml_json_timed(base, payload)) out.push_back(std::move(timed.record));
  return out;
}

Bytes encode_senml_json(const Path& base, const Records& records) {
  auto document = nlohmann::json::array();
  const auto plan = detail::plan_senml(kFormat, base, records, false);
  for (std::size_t i = 0; i < plan.size(); ++i) {
    nlohmann::json record = nlohmann::json::object();
    if (plan[i].base_name) record["bn"] = *plan[i].base_name;
    if (plan[i].name) record["n"] = *plan[i].name;
    write_value(record, records[i], *plan[i].value);
    document.push_back(std::move(record));
  }
  try {
    return to_bytes(document.dump());
  } catch (const nlohmann::json::type_error&) {
    fail(0, "a name or string value is not valid UTF-8, which JSON text must be");
  }
}

}  // namespace fc::lwm2m
