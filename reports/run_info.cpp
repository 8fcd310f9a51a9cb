#include "reports/run_info.h"

#include <mbedtls/sha256.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "adapters/client_binary.h"
#include "reports/profile_json.h"
#include "suite/common/bytes.h"

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
  info.profile_hash = profile.lab_device.empty() ? profile_hash(info.profile) : lab_profile_hash(info.profile);
  try {
    info.profile_file_sha256 = file_sha256(profile_file);
  } catch (const std::exception& e) {
    info.profile_file_sha256 = std::string("unreadable: ") + e.what();
  }
  info.device.name = profile.device.name;
  info.device.endpoint = std::move(endpoint);
  info.device.lab_device = profile.lab_device;
  info.device.declared = capabilities_to_json(profile.capabilities);
  info.server_uri = std::move(server_uri);
  info.server_address = std::move(server_address);
  return info;
}

std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string() + ": " + std::strerror(errno));
  mbedtls_sha256_context sha;
  mbedtls_sha256_init(&sha);
  mbedtls_sha256_starts_ret(&sha, 0);
  std::array<char, 64 * 1024> chunk;
  while (in) {
    in.read(chunk.data(), chunk.size());
    if (in.gcount() > 0)
      mbedtls_sha256_update_ret(&sha, reinterpret_cast<const unsigned char*>(chunk.data()), static_cast<std::size_t>(in.gcount()));
  }
  bool failed = in.bad();
  Bytes digest(32);
  mbedtls_sha256_finish_ret(&sha, digest.data());
  mbedtls_sha256_free(&sha);
  if (failed) throw std::runtime_error("cannot read " + file.string());
  return "sha256:" + to_hex(digest);
}

void describe_device_under_test(DeviceIdentity& device, const profile::Profile& profile,
                                const adapters::StartContext& context) {
  using profile::AdapterType;
  const auto& adapter = profile.adapter;
  switch (adapter.type) {
    case AdapterType::Process: {
      device.adapter = "process";
      std::string command = adapter.process.command;
      try {
        command = adapters::expand_placeholders(command, adapters::placeholder_values(context), "adapter.process.command");
        auto binary = adapters::find_client_binary(command, profile.source);
        device.binary = binary.string();
        device.binary_sha256 = file_sha256(binary);
      } catch (const std::exception& e) {
        if (device.binary.empty()) device.binary = command;
        device.binary_sha256 = std::string("unknown: ") + e.what();
      }
      break;
    }
    case AdapterType::Hooks: {
      device.adapter = "hooks";
      const auto& h = adapter.hooks;
      const std::pair<const char*, const std::string*> hooks[] = {{"reset", &h.reset},         {"power_off", &h.power_off},
                                                                  {"power_on", &h.power_on},   {"flash", &h.flash},
                                                                  {"log_start", &h.log_start}, {"log_stop", &h.log_stop}};
      for (const auto& [name, command] : hooks)
        if (!command->empty()) device.commands[name] = *command;
      for (const auto& [fault, command] : h.inject) device.commands["inject." + fault] = command;
      break;
    }
    case AdapterType::Manual:
      device.adapter = "manual";
      if (!adapter.manual.instructions.empty()) device.commands["instructions"] = adapter.manual.instructions;
      break;
  }
}

nlohmann::json bootstrap_json(const server::BootstrapServer& bootstrap, const std::string& endpoint,
                              std::string_view dm_credentials) {
  const auto& config = bootstrap.config();
  nlohmann::json out{{"server_uri", bootstrap.uri()},
                     {"security", std::string(coap::to_string(config.listen.credentials.mode))},
                     {"dm_server_uri", config.dm_server_uri},
                     {"dm_security", std::string(coap::to_string(config.dm_credentials.mode))},
                     {"dm_credentials", std::string(dm_credentials)}};
  const auto* attempt = bootstrap.last_attempt(endpoint);
  std::size_t attempts = 0;
  for (const auto& a : bootstrap.attempts()) attempts += a.endpoint == endpoint ? 1 : 0;
  out["attempts"] = attempts;
  if (!attempt) {
    out["state"] = "no Bootstrap-Request";
    return out;
  }
  out["state"] = server::to_string(attempt->state);
  nlohmann::json steps = nlohmann::json::array();
  std::string finish = "not sent";
  for (const auto& step : attempt->steps) {
    steps.push_back(step.action + (step.written.empty() ? "" : " (" + step.written + ")") + " → " + step.outcome);
    if (step.action.rfind("Bootstrap-Finish", 0) == 0) finish = step.outcome;
  }
  out["steps"] = steps;
  out["finish"] = finish;
  if (!attempt->failure.empty()) out["failure"] = attempt->failure;
  return out;
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
