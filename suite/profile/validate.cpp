#include "suite/profile/validate.h"

#include "suite/profile/duration.h"
#include "suite/profile/loader.h"
#include "suite/profile/names.h"

namespace fc::profile {

namespace {

template <typename Value, typename Name>
std::string joined(const std::vector<Value>& values, Name name) {
  if (values.empty()) return "none";
  std::string out;
  for (const auto& value : values) {
    if (!out.empty()) out += ",";
    out += name(value);
  }
  return out;
}

std::string scale_text(double scale) {
  std::string text = std::to_string(scale);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::string summarize(const Profile& profile) {
  std::string out;
  if (!profile.device.endpoint.empty()) {
    out += "endpoint \"" + profile.device.endpoint + "\"";
  } else {
    out += "endpoint pattern \"" + profile.device.endpoint_pattern + "\"";
  }
  out += ", adapter " + std::string(to_string(profile.adapter.type));
  out += ", security " + std::string(to_string(profile.server.security.mode));
  out += ", pull " + joined(profile.capabilities.pull,
                            [](PullScheme s) { return std::string(to_string(s)); });
  out += ", push " + std::string(profile.capabilities.push ? "yes" : "no");
  out += ", packages " + std::string(to_string(profile.packages.format));

  std::vector<std::string> faults;
  for (const auto& fault : fault_choices()) {
    const FaultInjection& injection = profile.faults.*fault.value;
    if (injection.supported()) {
      faults.push_back(std::string(fault.name) + ":" + std::string(to_string(injection.method)));
    }
  }
  out += ", faults " + joined(faults, [](const std::string& s) { return s; });
  out += ", ack_timeout " + format_duration(profile.timing.coap.ack_timeout);
  out += ", scale " + scale_text(profile.timing.scale);
  if (!profile.includes.empty()) {
    out += ", includes " + joined(profile.includes,
                                  [](const std::filesystem::path& p) { return p.string(); });
  }
  return out;
}

int run_validate(const std::filesystem::path& file, std::ostream& out) {
  // The files the profile names are checked too: a run would stop at them before any case.
  const ProfileLoad load = load_profile(file, run_options());
  if (load.ok()) {
    out << "profile OK: " << summarize(*load.profile) << "\n";
    return 0;
  }
  for (const auto& problem : load.problems) out << problem.str() << "\n";
  const std::size_t count = load.problems.size();
  out << file.string() << ": " << count << (count == 1 ? " problem" : " problems") << "\n";
  return 2;
}

}  // namespace fc::profile
