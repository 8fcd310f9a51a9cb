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

// What a lab device may set for itself (lab_devices.h): its endpoint and adapter.
std::string own_part(const Profile& profile) {
  std::string out;
  if (!profile.device.endpoint.empty()) {
    out += "endpoint \"" + profile.device.endpoint + "\"";
  } else {
    out += "endpoint pattern \"" + profile.device.endpoint_pattern + "\"";
  }
  return out + ", adapter " + std::string(to_string(profile.adapter.type));
}

// What every lab device shares (its credentials aside).
std::string shared_part(const Profile& profile) {
  std::string out = "security " + std::string(to_string(profile.server.security.mode));
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

}  // namespace

std::string summarize(const Profile& profile) { return own_part(profile) + ", " + shared_part(profile); }

std::string summarize_lab(const std::vector<Profile>& devices) {
  std::string out = std::to_string(devices.size()) + " lab devices";
  for (const auto& d : devices) out += "\n  " + d.lab_device + ": " + own_part(d);
  if (!devices.empty()) out += "\n  shared: " + shared_part(devices.front());
  return out;
}

int run_validate(const std::filesystem::path& file, std::ostream& out) {
  // The files the profile names are checked too: a run would stop at them before any case.
  const ProfileLoad load = load_profile(file, run_options());
  if (load.ok()) {
    out << "profile OK: " << (load.lab_devices.empty() ? summarize(*load.profile) : summarize_lab(load.lab_devices))
        << "\n";
    return 0;
  }
  for (const auto& problem : load.problems) out << problem.str() << "\n";
  const std::size_t count = load.problems.size();
  out << file.string() << ": " << count << (count == 1 ? " problem" : " problems") << "\n";
  return 2;
}

}  // namespace fc::profile
