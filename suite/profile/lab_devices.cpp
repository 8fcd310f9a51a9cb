#include "suite/profile/lab_devices.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "suite/profile/include.h"
#include "suite/profile/named_files.h"
#include "suite/profile/schema.h"

namespace fc::profile {

namespace {

constexpr std::array kOverrides{
    LabOverride{"device", "endpoint"},        LabOverride{"device", "endpoint_pattern"},
    LabOverride{"adapter", ""},               LabOverride{"server", "port"},
    LabOverride{"server", "security"},        LabOverride{"bootstrap", "port"},
    LabOverride{"bootstrap", "security"},     LabOverride{"repository", "coap_port"},
    LabOverride{"repository", "http_port"},   LabOverride{"repository", "advertised_host"},
    LabOverride{"repository", "security"},
};

std::string overrides_text() {
  std::string out = "name";
  for (const auto& o : kOverrides) out += ", " + std::string(o.section) + (o.key.empty() ? "" : "." + std::string(o.key));
  return out;
}

bool overridable_section(std::string_view section) {
  return std::any_of(kOverrides.begin(), kOverrides.end(), [&](const LabOverride& o) { return o.section == section; });
}

bool overridable(std::string_view section, std::string_view key) {
  return std::any_of(kOverrides.begin(), kOverrides.end(), [&](const LabOverride& o) {
    return o.section == section && (o.key.empty() || o.key == key);
  });
}

int last_line(const SourceNode& node) {
  int line = node.where.line;
  for (const auto& item : node.items) line = std::max(line, last_line(item));
  for (const auto& entry : node.entries) line = std::max({line, entry.key_where.line, last_line(entry.value)});
  return line;
}

void add_once(ProfileProblems& problems, ProfileProblem problem) {
  if (std::find(problems.begin(), problems.end(), problem) == problems.end()) problems.push_back(std::move(problem));
}

// An entry is one device's differences: `name`, and only the keys of kOverrides.
bool check_entry_keys(const SourceNode& item, const std::string& prefix, ProfileProblems& problems) {
  const std::size_t before = problems.size();
  auto shared = [&](const SourceLocation& where, const std::string& path) {
    problems.push_back({where.file, where.line, where.column, path,
                        "is shared by every lab device: write it outside devices: (an entry sets only " +
                            overrides_text() + ")"});
  };
  for (const auto& entry : item.entries) {
    const std::string path = prefix + "." + entry.key;
    if (entry.key == "name" || overridable(entry.key, "")) continue;
    if (!overridable_section(entry.key)) {
      shared(entry.key_where, path);
    } else if (entry.value.kind != SourceNode::Kind::Map) {
      problems.push_back({entry.value.where.file, entry.value.where.line, entry.value.where.column, path,
                          "expected a map, got " + describe(entry.value)});
    } else {
      for (const auto& sub : entry.value.entries)
        if (!overridable(entry.key, sub.key)) shared(sub.key_where, path + "." + sub.key);
    }
  }
  return problems.size() == before;
}

// The entry without its name and without any key it may not set.
SourceNode own_keys(const SourceNode& item) {
  SourceNode overlay = item;
  std::erase_if(overlay.entries, [](const SourceEntry& e) {
    return e.key == "name" || !overridable_section(e.key) ||
           (!overridable(e.key, "") && e.value.kind != SourceNode::Kind::Map);
  });
  for (auto& entry : overlay.entries)
    if (!overridable(entry.key, ""))
      std::erase_if(entry.value.entries, [&](const SourceEntry& sub) { return !overridable(entry.key, sub.key); });
  return overlay;
}

// The entry's name, checked; empty when it has none that is usable.
std::string entry_name(const SourceNode& item, const std::string& prefix, const std::vector<std::string>& taken,
                       ProfileProblems& problems) {
  const SourceEntry* name = item.find("name");
  if (name == nullptr) {
    problems.push_back({item.where.file, item.where.line, item.where.column, prefix + ".name",
                        "required key is missing: the lab device's name (rig-a, board-2)"});
    return {};
  }
  const SourceNode& value = name->value;
  const std::string path = prefix + ".name";
  if (value.kind != SourceNode::Kind::Scalar || !is_lab_device_name(value.text)) {
    problems.push_back({value.where.file, value.where.line, value.where.column, path,
                        "expected letters, digits, '.', '_' or '-' (at most 64, the first a letter or digit), got " +
                            describe(value)});
    return {};
  }
  if (auto same = std::find(taken.begin(), taken.end(), value.text); same != taken.end()) {
    problems.push_back({value.where.file, value.where.line, value.where.column, path,
                        "\"" + value.text + "\" is the name of devices[" + std::to_string(same - taken.begin()) +
                            "] too; each lab device has its own"});
    return {};
  }
  return value.text;
}

struct FixedPort {
  const char* key;
  std::uint16_t port;
};

std::vector<FixedPort> fixed_ports(const Profile& p) {
  std::vector<FixedPort> ports;
  auto add = [&](const char* key, std::uint16_t port) {
    if (port != 0) ports.push_back({key, port});
  };
  add("server.port", p.server.port);
  if (p.bootstrap.mode == BootstrapMode::ClientInitiated) add("bootstrap.port", p.bootstrap.port);
  add("repository.coap_port", p.repository.coap_port);
  add("repository.http_port", p.repository.http_port);
  return ports;
}

}  // namespace

std::span<const LabOverride> lab_overrides() { return kOverrides; }

bool is_lab_device_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name.front()))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::optional<SourceEntry> take_lab_devices(SourceNode& root) {
  auto found = std::find_if(root.entries.begin(), root.entries.end(),
                            [](const SourceEntry& e) { return e.key == "devices"; });
  if (found == root.entries.end()) return std::nullopt;
  SourceEntry devices = std::move(*found);
  root.entries.erase(found);
  return devices;
}

std::vector<Profile> read_lab_devices(const SourceNode& shared, const SourceEntry& devices, bool check_named_files,
                                      ProfileProblems& problems) {
  // What the profile says without any entry: a problem a device shares with it is not the entry's.
  ProfileProblems shared_problems;
  const Profile shared_profile = read_schema(shared, shared_problems);
  if (check_named_files) {
    auto files = named_file_problems(shared_profile);
    shared_problems.insert(shared_problems.end(), files.begin(), files.end());
  }
  const SourceNode& list = devices.value;
  if (list.kind == SourceNode::Kind::Map && shared.find("device") == nullptr) {
    // The likelier mistake: one letter too many in the device section's name.
    for (auto& p : shared_problems) add_once(problems, std::move(p));
    const auto& at = devices.key_where;
    problems.push_back({at.file, at.line, at.column, "devices",
                        "expected a list of lab devices, got a map; did you mean \"device\"?"});
    return {};
  }
  if (list.kind != SourceNode::Kind::Sequence || list.items.empty()) {
    const std::string got = list.kind == SourceNode::Kind::Sequence ? "an empty list" : describe(list);
    problems.push_back({list.where.file, list.where.line, list.where.column, "devices",
                        "expected a list of lab devices, each a map with its name and what differs (" +
                            overrides_text() + "), got " + got});
    for (auto& p : shared_problems) add_once(problems, std::move(p));
    return {};
  }

  std::vector<Profile> loaded;
  std::vector<std::string> names;           // by entry position, "" for a bad one
  std::vector<const SourceNode*> entries;   // of `loaded`
  std::vector<std::string> prefixes;        // of `loaded`
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const SourceNode& item = list.items[i];
    const std::string prefix = "devices[" + std::to_string(i) + "]";
    if (item.kind != SourceNode::Kind::Map) {
      problems.push_back({item.where.file, item.where.line, item.where.column, prefix,
                          "expected a map with the lab device's name and what differs, got " + describe(item)});
      names.emplace_back();
      continue;
    }
    names.push_back(entry_name(item, prefix, names, problems));
    // An entry with a shared key is still read without it: every problem is reported at once.
    const bool keys_fine = check_entry_keys(item, prefix, problems);
    if (names.back().empty()) continue;

    SourceNode tree = shared;
    SourceNode overlay = own_keys(item);
    // An entry's endpoint_pattern replaces the shared endpoint and the other way round.
    const SourceEntry* own_device = item.find("device");
    if (own_device && (own_device->value.find("endpoint") || own_device->value.find("endpoint_pattern")))
      if (SourceEntry* device = tree.find("device"); device && device->value.kind == SourceNode::Kind::Map)
        std::erase_if(device->value.entries,
                      [](const SourceEntry& e) { return e.key == "endpoint" || e.key == "endpoint_pattern"; });
    merge_into(tree, std::move(overlay));

    ProfileProblems own;
    Profile profile = read_schema(tree, own);
    if (check_named_files) {
      auto files = named_file_problems(profile);
      own.insert(own.end(), files.begin(), files.end());
    }
    if (own.empty() && profile.adapter.type == AdapterType::Manual) {
      const SourceEntry* adapter = item.find("adapter");
      const SourceEntry* type = adapter ? adapter->value.find("type") : nullptr;
      const SourceLocation& where = type ? type->value.where : item.where;
      own.push_back({where.file, where.line, where.column, "adapter.type",
                     "a lab device runs alongside the others, through hooks or a process; the manual adapter "
                     "needs the one operator at the terminal"});
    }
    const int first = item.where.line, last = last_line(item);
    const std::string& file = item.where.file;
    for (auto& p : own) {
      if (p.file == file && p.line >= first && p.line <= last) {
        p.key_path = prefix + (p.key_path.empty() ? "" : "." + p.key_path);
        p.message = "lab device " + names.back() + ": " + p.message;
      } else if (std::find(shared_problems.begin(), shared_problems.end(), p) == shared_problems.end()) {
        p.message += " (with the overrides of " + prefix + ", lab device " + names.back() + ")";
      }
      add_once(problems, std::move(p));
    }
    if (!own.empty() || !keys_fine) continue;
    profile.lab_device = names.back();
    loaded.push_back(std::move(profile));
    entries.push_back(&item);
    prefixes.push_back(prefix);
  }

  // The devices run side by side on this host: a fixed port can serve only one of them.
  for (std::size_t j = 0; j < loaded.size(); ++j)
    for (const auto& mine : fixed_ports(loaded[j]))
      for (std::size_t i = 0; i < j; ++i)
        for (const auto& theirs : fixed_ports(loaded[i]))
          if (mine.port == theirs.port) {
            const auto& where = entries[j]->where;
            add_once(problems, {where.file, where.line, where.column, prefixes[j] + "." + mine.key,
                                "lab device " + loaded[j].lab_device + ": port " + std::to_string(mine.port) +
                                    " is also the " + theirs.key + " of " + prefixes[i] + " (" +
                                    loaded[i].lab_device +
                                    "); the lab's devices run side by side, so give each entry its own ports "
                                    "(or 0: an ephemeral port)"});
          }
  return loaded;
}

}  // namespace fc::profile
