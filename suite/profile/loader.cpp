#include "suite/profile/loader.h"

#include <algorithm>
#include <exception>
#include <tuple>

#include "suite/profile/include.h"
#include "suite/profile/lab_devices.h"
#include "suite/profile/named_files.h"
#include "suite/profile/schema.h"

namespace fc::profile {

namespace {

// Keys and values are quoted back in messages; a stray control byte must not garble a terminal.
std::string escape_controls(const std::string& text) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out.push_back(digits[byte >> 4]);
      out.push_back(digits[byte & 0x0f]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void tidy(ProfileProblems& problems) {
  for (auto& problem : problems) {
    problem.key_path = escape_controls(problem.key_path);
    problem.message = escape_controls(problem.message);
  }
}

void order(ProfileProblems& problems) {
  auto position = [](const ProfileProblem& p) { return std::tie(p.file, p.line, p.column); };
  std::stable_sort(problems.begin(), problems.end(),
                   [&](const ProfileProblem& a, const ProfileProblem& b) {
                     return position(a) < position(b);
                   });
  problems.erase(std::unique(problems.begin(), problems.end()), problems.end());
}

// `map[key]`, made an empty map where it is absent or not a map (the override replaces it).
SourceNode& child_map(SourceNode& map, const std::string& key, const SourceLocation& where) {
  SourceEntry* entry = map.find(key);
  if (entry == nullptr) {
    map.entries.push_back({key, where, SourceNode{SourceNode::Kind::Map, {}, {}, {}, where}});
    entry = &map.entries.back();
  } else if (entry->value.kind != SourceNode::Kind::Map) {
    entry->value = SourceNode{SourceNode::Kind::Map, {}, {}, {}, where};
  }
  return entry->value;
}

// `--link PRESET` as if the profile's timing.link.preset said it; the keys next to it stay.
void override_link_preset(SourceNode& root, const std::string& preset) {
  const SourceLocation where{"--link", 1, 1};
  SourceNode& link = child_map(child_map(root, "timing", where), "link", where);
  SourceNode value{SourceNode::Kind::Scalar, preset, {}, {}, where};
  if (SourceEntry* own = link.find("preset")) own->value = std::move(value);
  else link.entries.push_back({"preset", where, std::move(value)});
}

std::string names_of(const std::vector<Profile>& devices) {
  std::string out;
  for (const auto& d : devices) out += (out.empty() ? "" : ", ") + d.lab_device;
  return out;
}

// The profile of one device, or with a `devices:` list every lab device's and the selected one.
void read_profiles(MergedSource& merged, const std::filesystem::path& file, const LoadOptions& options,
                   ProfileLoad& result) {
  if (!options.link_preset.empty()) override_link_preset(merged.root, options.link_preset);
  auto finish = [&](Profile& profile) {
    profile.source = file;
    profile.includes = merged.includes;
  };
  auto devices = take_lab_devices(merged.root);
  if (!devices) {
    Profile profile = read_schema(merged.root, result.problems);
    finish(profile);
    if (options.check_named_files) {
      ProfileProblems files = named_file_problems(profile);
      result.problems.insert(result.problems.end(), files.begin(), files.end());
    }
    if (!options.lab_device.empty())
      result.problems.push_back({file.string(), 0, 0, "",
                                 "--lab-device " + options.lab_device + ": the profile lists no lab devices (devices:)"});
    if (result.problems.empty()) result.profile = std::move(profile);
    return;
  }
  result.lab_devices = read_lab_devices(merged.root, *devices, options.check_named_files, result.problems);
  for (auto& device : result.lab_devices) finish(device);
  if (!result.problems.empty()) {
    result.lab_devices.clear();
    return;
  }
  auto selected = std::find_if(result.lab_devices.begin(), result.lab_devices.end(),
                               [&](const Profile& d) { return d.lab_device == options.lab_device; });
  if (options.lab_device.empty()) selected = result.lab_devices.begin();
  if (selected == result.lab_devices.end()) {
    const auto& at = devices->key_where;
    result.problems.push_back({at.file, at.line, at.column, "devices",
                               "--lab-device " + options.lab_device + ": no such lab device; the profile lists " +
                                   names_of(result.lab_devices)});
    result.lab_devices.clear();
    return;
  }
  result.profile = *selected;
}

}  // namespace

ProfileLoad load_profile(const std::filesystem::path& file, const LoadOptions& options) {
  ProfileLoad result;
  try {
    auto merged = load_merged(file, options.limits, result.problems);
    if (merged) read_profiles(*merged, file, options, result);
  } catch (const std::exception& error) {
    // Only resource failures get here (allocation, the file system); still an answer.
    result.profile.reset();
    result.lab_devices.clear();
    result.problems.push_back({file.string(), 0, 0, "",
                               std::string("cannot load the profile: ") + error.what()});
  }
  tidy(result.problems);
  order(result.problems);
  return result;
}

ProfileLoad load_profile(const std::filesystem::path& file) {
  return load_profile(file, LoadOptions());
}

}  // namespace fc::profile
