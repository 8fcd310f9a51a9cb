#include "reports/run_info.h"

#include "reports/profile_json.h"

namespace fc::reports {

RunInfo make_run_info(const profile::Profile& profile, const std::filesystem::path& profile_file, std::string version,
                      std::string endpoint, std::string server_uri, std::string server_address) {
  RunInfo info;
  info.version = std::move(version);
  info.started_unix_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::error_code ec;
  auto absolute = std::filesystem::absolute(profile_file, ec);
  info.profile_path = (ec ? profile_file : absolute).string();
  info.profile = profile_to_json(profile);
  info.profile_hash = profile_hash(info.profile);
  info.device.endpoint = std::move(endpoint);
  info.device.declared = capabilities_to_json(profile.capabilities);
  info.server_uri = std::move(server_uri);
  info.server_address = std::move(server_address);
  return info;
}

nlohmann::json device_read_json(const server::Registration& r) {
  nlohmann::json objects = nlohmann::json::array();
  for (const auto& o : r.objects.objects) objects.push_back(o.path.str() + (o.version ? ";ver=" + *o.version : ""));
  auto firmware = r.objects.version_of(5);
  return nlohmann::json{{"lwm2m_version", r.lwm2m_version},
                        {"binding", r.binding},
                        {"lifetime_s", r.lifetime},
                        {"queue_mode", r.queue_mode},
                        {"firmware_object_version", firmware ? *firmware : std::string("1.0 (no ver=)")},
                        {"objects", objects},
                        {"peer", r.peer}};
}

}  // namespace fc::reports
