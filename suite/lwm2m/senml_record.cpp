#include "suite/lwm2m/senml_record.h"

#include <charconv>
#include <limits>

#include "suite/lwm2m/base64.h"
#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m::detail {
namespace {

// Where a problem with a record's name is reported: its n, else its bn, else the record.
std::size_t name_offset(const SenmlFields& fields) {
  if (fields.name) return fields.name->offset;
  if (fields.base_name) return fields.base_name->offset;
  return fields.offset;
}

std::string quoted(std::string_view text) { return "\"" + printable(to_bytes(text)) + "\""; }

Path resolve_path(ContentFormat format, const SenmlFields& fields, const std::string& name) {
  const auto offset = name_offset(fields);
  if (name.empty()) {
    throw CodecError(format, offset, "record has no name, and no base name applies to it");
  }
  if (name.front() != '/') {
    throw CodecError(format, offset,
                     "name " + quoted(name) + " is not an absolute LwM2M path (no leading '/')");
  }
  try {
    return Path::parse(name);
  } catch (const CodecError& error) {
    throw CodecError(format, offset, "name is not an LwM2M path: " + error.problem());
  }
}

std::string depth_name(const Path& path) {
  switch (path.depth()) {
    case 0:
      return "the root";
    case 1:
      return "an object";
    default:
      return "an object instance";
  }
}

std::string relative_name(const Path& base, const Path& path) {
  std::string name;
  for (std::size_t i = base.depth(); i < path.depth(); ++i) {
    if (!name.empty()) name += '/';
    name += std::to_string(path.ids()[i]);
  }
  return name;
}

}  // namespace

TimedRecords resolve_senml(ContentFormat format, const Path& base,
                           const std::vector<SenmlFields>& fields, bool value_required) {
  TimedRecords out;
  out.reserve(fields.size());
  std::string base_name;
  std::optional<double> base_time;
  for (const auto& record : fields) {
    if (record.base_name) base_name = record.base_name->value;
    if (record.base_time) base_time = record.base_time->value;
    const auto path =
        resolve_path(format, record, base_name + (record.name ? record.name->value : ""));
    if (!base.contains(path)) {
      throw CodecError(format, name_offset(record),
                       "record " + path.str() + " is outside the requested path " + base.str());
    }
    if (!record.value && value_required) {
      throw CodecError(format, record.offset, "record " + path.str() + " has no value");
    }
    if (record.value && path.depth() < 3) {
      throw CodecError(format, record.value->offset,
                       "a value for " + path.str() + ", which is " + depth_name(path) +
                           ": values belong to resources and resource instances");
    }
    std::optional<double> time;
    if (base_time || record.time) {
      time = base_time.value_or(0.0) + (record.time ? record.time->value : 0.0);
    }
    out.push_back({Record{path, record.value ? record.value->value : Value()}, time});
  }
  return out;
}

std::vector<SenmlOutRecord> plan_senml(ContentFormat format, const Path& base,
                                       const Records& records, bool value_required) {
  bool all_below = true;
  for (const auto& record : records) {
    if (!base.contains(record.path)) {
      throw CodecError(format, 0,
                       "record " + record.path.str() + " is not at or below " + base.str());
    }
    if (std::holds_alternative<Value::RawTlv>(record.value.storage())) {
      throw CodecError(
          format, 0,
          record.path.str() + " holds a raw TLV value, whose type (and so its label) is unknown");
    }
    if (record.value.empty() && value_required) {
      throw CodecError(format, 0, record.path.str() + " has no value");
    }
    if (record.path == base) all_below = false;
  }

  std::vector<SenmlOutRecord> out;
  out.reserve(records.size());
  for (const auto& record : records) {
    SenmlOutRecord entry;
    entry.value = &record.value;
    if (base.is_root()) {
      entry.name = record.path.str();
    } else if (all_below) {
      entry.name = relative_name(base, record.path);
    } else if (record.path != base) {
      entry.name = "/" + relative_name(base, record.path);
    }
    if (out.empty() && !base.is_root()) {
      entry.base_name = all_below ? base.str() + "/" : base.str();
    }
    out.push_back(std::move(entry));
  }
  return out;
}

ObjLink parse_objlink(ContentFormat format, std::size_t offset, std::string_view text) {
  const auto fail = [&] {
    return CodecError(format, offset,
                      "object link " + quoted(text) + " is not \"object:instance\" (e.g. \"3:0\")");
  };
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) throw fail();
  const auto parse_id = [&](std::string_view part) {
    std::uint16_t id = 0;
    const auto* end = part.data() + part.size();
    const auto [ptr, ec] = std::from_chars(part.data(), end, id);
    if (part.empty() || ec != std::errc{} || ptr != end) throw fail();
    return id;
  };
  return ObjLink{parse_id(text.substr(0, colon)), parse_id(text.substr(colon + 1))};
}

std::string objlink_text(const ObjLink& link) {
  return std::to_string(link.object) + ":" + std::to_string(link.instance);
}

Value integer_value(std::uint64_t value) {
  if (value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Value(static_cast<std::int64_t>(value));
  }
  return Value(value);
}

std::string base64url_encode(ByteView bytes) {
  auto text = base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (auto& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

Bytes base64url_decode(ContentFormat format, std::size_t offset, std::string_view text) {
  auto data = text;
  while (!data.empty() && data.back() == '=') data.remove_suffix(1);
  const auto padding = text.size() - data.size();
  if (padding > 2 || (padding > 0 && text.size() % 4 != 0)) {
    throw CodecError(
        format, offset,
        "base64url " + quoted(text) + ": padding does not complete a 4-character group");
  }
  if (data.size() % 4 == 1) {
    throw CodecError(format, offset,
                     "base64url " + quoted(text) + ": " + std::to_string(data.size()) +
                         " characters cannot encode whole bytes");
  }
  std::string standard(data);
  for (std::size_t i = 0; i < standard.size(); ++i) {
    auto& c = standard[i];
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (!plain) {
      throw CodecError(format, offset,
                       "base64url " + quoted(text) + ": character " + std::to_string(i) + " " +
                           quoted(std::string_view(&text[i], 1)) +
                           " is outside the URL-safe alphabet (RFC 4648 §5)");
    }
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return base64_decode(standard);
}

}  // namespace fc::lwm2m::detail
