// application/vnd.oma.lwm2m+cbor (LwM2M TS Core 1.2 §7.4.6): a map whose keys are path ids
// (an unsigned integer, or an array of them for several levels at once) and whose values are
// either deeper maps or resource values; the ids add up to absolute paths from the root.
#include <cstddef>
#include <set>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/located_cbor.h"

namespace fc::lwm2m {
namespace {

using detail::CborNode;

constexpr auto kFormat = ContentFormat::LwM2mCbor;
// Four path levels of maps, array keys, and a tag around a value (tag 4 adds its array).
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxPathDepth = 4;
constexpr std::uint64_t kMaxId = 65534;  // 65535 is reserved (TS Core §7.1)

[[noreturn]] void fail(std::size_t offset, const std::string& problem) {
  throw CodecError(kFormat, offset, problem);
}

std::string kind_of(const CborNode& node) { return std::string(detail::describe(node.kind)); }

std::uint16_t read_id(const CborNode& node) {
  if (node.kind != CborNode::Kind::Unsigned) {
    fail(node.offset, "a path id is an unsigned integer, got " + kind_of(node));
  }
  if (node.number > kMaxId) {
    fail(node.offset, "path id " + std::to_string(node.number) + " is above 65534");
  }
  return static_cast<std::uint16_t>(node.number);
}

class Decoder {
 public:
  explicit Decoder(const Path& base) : base_(base) {}

  Records decode(ByteView payload) {
    const auto root = detail::parse_located_cbor(kFormat, payload, kMaxDepth);
    if (root.kind != CborNode::Kind::Map) {
      fail(root.offset, "LwM2M CBOR is a map keyed by path ids, got " + kind_of(root));
    }
    read_map(root, {});
    return std::move(out_);
  }

 private:
  void read_map(const CborNode& map, const std::vector<std::uint16_t>& prefix) {
    for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
      const auto& key = map.items[i];
      const auto& value = map.items[i + 1];
      auto ids = prefix;
      append_key(key, ids);
      if (value.kind == CborNode::Kind::Map) {
        read_map(value, ids);
      } else {
        add_leaf(key, value, Path(std::move(ids)));
      }
    }
  }

  static void append_key(const CborNode& key, std::vector<std::uint16_t>& ids) {
    const auto push = [&](const CborNode& id_node) {
      if (ids.size() == kMaxPathDepth) {
        fail(id_node.offset, "the path grows past 4 ids (object/instance/resource/instance)");
      }
      ids.push_back(read_id(id_node));
    };
    if (key.kind == CborNode::Kind::Array) {
      if (key.items.empty()) fail(key.offset, "an empty array is not a path key");
      for (const auto& id : key.items) push(id);
    } else if (key.kind == CborNode::Kind::Unsigned) {
      push(key);
    } else {
      fail(key.offset, "a key is a path id or an array of ids, got " + kind_of(key));
    }
  }

  void add_leaf(const CborNode& key, const CborNode& node, Path path) {
    if (!base_.contains(path)) {
      fail(key.offset, "path " + path.str() + " is outside the requested path " + base_.str());
    }
    if (path.depth() < 3) {
      fail(node.offset,
           "a value for " + path.str() + ": values belong to resources and resource instances");
    }
    // A path given twice, or both as a value and above one, leaves its value ambiguous.
    for (std::size_t depth = 1; depth <= path.depth(); ++depth) {
      const auto first = path.ids().begin();
      const auto prefix =
          Path(std::vector<std::uint16_t>(first, first + static_cast<std::ptrdiff_t>(depth)));
      if (seen_.count(prefix) != 0) {
        fail(key.offset, "path " + path.str() + " repeats or lies below " + prefix.str() +
                             ", which already has a value");
      }
    }
    const auto below = seen_.lower_bound(path);
    if (below != seen_.end() && path.contains(*below)) {
      fail(key.offset,
           "path " + path.str() + " has a value and so does " + below->str() + " below it");
    }
    seen_.insert(path);
    out_.push_back({std::move(path), read_value(node)});
  }

  static Value read_value(const CborNode& node) {
    if (auto number = detail::cbor_number(kFormat, node)) return std::move(*number);
    switch (node.kind) {
      case CborNode::Kind::Boolean:
        return Value(node.boolean);
      case CborNode::Kind::Text:
        return Value(node.content);
      case CborNode::Kind::Bytes:
        return Value(to_bytes(node.content));
      case CborNode::Kind::Null:
        return Value();
      default:
        fail(node.offset, kind_of(node) +
                              (node.kind == CborNode::Kind::Tag ? " " + std::to_string(node.number)
                                                                : std::string()) +
                              " is not an LwM2M CBOR value");
    }
  }

  const Path& base_;
  Records out_;
  std::set<Path> seen_;
};

// Records arranged by path below `base`, children in order of first appearance.
struct PathTree {
  const Record* record = nullptr;
  std::vector<std::uint16_t> child_ids;  // parallel to `children`
  std::vector<PathTree> children;

  PathTree& child(std::uint16_t id);
};

PathTree& PathTree::child(std::uint16_t id) {
  for (std::size_t i = 0; i < child_ids.size(); ++i) {
    if (child_ids[i] == id) return children[i];
  }
  child_ids.push_back(id);
  return children.emplace_back();
}

void write_value(detail::CborWriter& out, const Record& record) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out.null();
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          out.integer(v);
        } else if constexpr (std::is_same_v<T, std::uint64_t>) {
          out.unsigned_integer(v);
        } else if constexpr (std::is_same_v<T, double>) {
          out.float64(v);
        } else if constexpr (std::is_same_v<T, bool>) {
          out.boolean(v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          out.text(v);
        } else if constexpr (std::is_same_v<T, Bytes>) {
          out.bytes(v);
        } else if constexpr (std::is_same_v<T, ObjLink>) {
          out.text(std::to_string(v.object) + ":" + std::to_string(v.instance));
        } else {
          fail(0, record.path.str() +
                      " holds a raw TLV value, whose type (and so its CBOR form) is unknown");
        }
      },
      record.value.storage());
}

void write_tree(detail::CborWriter& out, const PathTree& tree) {
  if (tree.record != nullptr) {
    write_value(out, *tree.record);
    return;
  }
  out.map(tree.children.size());
  for (std::size_t i = 0; i < tree.children.size(); ++i) {
    out.unsigned_integer(tree.child_ids[i]);
    write_tree(out, tree.children[i]);
  }
}

}  // namespace

Records decode_lwm2m_cbor(const Path& base, ByteView payload) {
  return Decoder(base).decode(payload);
}

Bytes encode_lwm2m_cbor(const Path& base, const Records& records) {
  PathTree root;
  for (const auto& record : records) {
    if (!base.contains(record.path) || record.path.depth() < 3) {
      fail(0, "record " + record.path.str() +
                  " is not a resource or resource instance at or below " + base.str());
    }
    auto* node = &root;
    for (std::size_t i = base.depth(); i < record.path.depth(); ++i) {
      if (node->record != nullptr) break;
      node = &node->child(record.path.ids()[i]);
    }
    if (node->record != nullptr || !node->children.empty()) {
      fail(0, "record " + record.path.str() +
                  " repeats a path or nests below or above another record's value");
    }
    node->record = &record;
  }

  detail::CborWriter out;
  if (records.empty() || base.is_root()) {
    write_tree(out, root);
    return out.take();
  }
  out.map(1);
  if (base.depth() == 1) {
    out.unsigned_integer(base.object());
  } else {
    out.array(base.depth());
    for (const auto id : base.ids()) out.unsigned_integer(id);
  }
  write_tree(out, root);
  return out.take();
}

}  // namespace fc::lwm2m
