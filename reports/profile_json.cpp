#include "reports/profile_json.h"

#include <mbedtls/sha256.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "suite/common/bytes.h"
#include "suite/profile/lab_devices.h"
#include "suite/profile/names.h"

namespace fc::reports {

namespace {

using nlohmann::json;

std::string name(auto value) { return std::string(profile::to_string(value)); }

template <typename T>
json optional_value(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json fault_json(const profile::FaultInjection& f) {
  return json{{"method", name(f.method)}, {"args", f.args}, {"hook", f.hook}, {"package", f.package}};
}

}  // namespace

bool looks_secret(const std::string& variable) {
  std::string upper(variable);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (const char* word : {"KEY", "TOKEN", "SECRET", "PASS", "PSK", "PIN", "AUTH", "CRED"})
    if (upper.find(word) != std::string::npos) return true;
  return false;
}

json capabilities_to_json(const profile::Capabilities& c) {
  json pull = json::array();
  for (auto p : c.pull) pull.push_back(name(p));
  json formats = json::array();
  for (auto f : c.content_formats) formats.push_back(std::string(profile::content_format_name(f)));
  return json{{"pull", pull},
              {"push", c.push},
              {"object_1_1", c.object_1_1},
              {"reboot_on_update", c.reboot_on_update},
              {"resumption", c.resumption},
              {"send", c.send},
              {"max_package_size", optional_value(c.max_package_size)},
              {"content_formats", formats}};
}

namespace {

json security_to_json(const profile::Security& sec) {
  json psk{{"identity", sec.psk.identity.empty() ? "" : kRedacted},
           {"identity_env", sec.psk.identity_env},
           {"key", sec.psk.key.empty() ? "" : kRedacted},
           {"key_env", sec.psk.key_env}};
  return json{{"mode", name(sec.mode)},
              {"psk", psk},
              {"rpk",
               {{"public_key", sec.rpk.public_key.string()},
                {"private_key", sec.rpk.private_key.string()},
                {"device_public_key", sec.rpk.device_public_key.string()}}},
              {"x509",
               {{"ca", sec.x509.ca.string()},
                {"certificate", sec.x509.certificate.string()},
                {"private_key", sec.x509.private_key.string()}}}};
}

}  // namespace

json profile_to_json(const profile::Profile& p) {
  json refuse = json::array();
  for (auto v : p.server.refuse_lwm2m_versions) refuse.push_back(name(v));
  json files = json::object();
  for (const auto& [k, v] : p.packages.files) files[k] = v.string();
  // A value after a flag that names a secret ("--psk-key 0011…", "--token=…") is redacted,
  // unless it is a path: a key file's name is no secret.
  json args = json::array();
  const auto& raw_args = p.adapter.process.args;
  for (std::size_t i = 0; i < raw_args.size(); ++i) {
    const auto& arg = raw_args[i];
    auto equals = arg.find('=');
    bool flag = arg.rfind("-", 0) == 0;
    if (flag && equals != std::string::npos && looks_secret(arg.substr(0, equals)) && arg.find('/', equals) == std::string::npos)
      args.push_back(arg.substr(0, equals + 1) + kRedacted);
    else if (i > 0 && raw_args[i - 1].rfind("-", 0) == 0 && raw_args[i - 1].find('=') == std::string::npos &&
             looks_secret(raw_args[i - 1]) && arg.rfind("-", 0) != 0 && arg.find('/') == std::string::npos)
      args.push_back(kRedacted);
    else
      args.push_back(arg);
  }
  json env = json::object();
  for (const auto& [k, v] : p.adapter.process.env) env[k] = looks_secret(k) ? kRedacted : v;
  json inject = json::object();
  for (const auto& [k, v] : p.adapter.hooks.inject) inject[k] = v;
  const auto& t = p.timing;
  json out{
      {"source", p.source.string()},
      {"device",
       {{"name", p.device.name},
        {"endpoint", p.device.endpoint},
        {"endpoint_pattern", p.device.endpoint_pattern},
        {"lwm2m_version", p.device.lwm2m_version ? json(name(*p.device.lwm2m_version)) : json(nullptr)},
        {"firmware_object_version", name(p.device.firmware_object_version)}}},
      {"server",
       {{"bind", p.server.bind},
        {"port", p.server.port},
        {"transport", name(p.server.transport)},
        {"security", security_to_json(p.server.security)},
        {"request_format", name(p.server.request_format)},
        {"lifetime", {{"min", optional_value(p.server.lifetime.min)}, {"max", optional_value(p.server.lifetime.max)}}},
        {"refuse_lwm2m_versions", refuse}}},
      {"repository",
       {{"bind", p.repository.bind},
        {"coap_port", p.repository.coap_port},
        {"http_port", p.repository.http_port},
        {"advertised_host", p.repository.advertised_host},
        {"security", security_to_json(p.repository.security)},
        {"https",
         {{"certificate", p.repository.https_certificate.string()},
          {"private_key", p.repository.https_private_key.string()}}}}},
      {"capabilities", capabilities_to_json(p.capabilities)},
      {"packages",
       {{"format", name(p.packages.format)},
        {"version", p.packages.version},
        {"image_size", p.packages.image_size},
        {"signing_key", p.packages.signing_key.string()},
        {"files", files}}},
      {"faults",
       {{"flash_full", fault_json(p.faults.flash_full)},
        {"out_of_ram", fault_json(p.faults.out_of_ram)},
        {"update_fails", fault_json(p.faults.update_fails)},
        {"power_loss", fault_json(p.faults.power_loss)}}},
      {"timing",
       {{"ack_timeout_ms", t.coap.ack_timeout.count()},
        {"ack_random_factor", t.coap.ack_random_factor},
        {"max_retransmit", t.coap.max_retransmit},
        {"nstart", t.coap.nstart},
        {"latency_ms", t.link.latency.count()},
        {"bandwidth_bps", optional_value(t.link.bandwidth)},
        {"scale", t.scale},
        {"register_timeout_ms", t.register_timeout.count()},
        {"queue_window_ms", t.queue_window ? json(t.queue_window->count()) : json(nullptr)}}},
      {"adapter",
       {{"type", name(p.adapter.type)},
        {"process",
         {{"command", p.adapter.process.command},
          {"args", args},
          {"env", env},
          {"stdin", name(p.adapter.process.stdin_mode)},
          {"ready_pattern", p.adapter.process.ready_pattern}}},
        {"hooks",
         {{"reset", p.adapter.hooks.reset},
          {"power_off", p.adapter.hooks.power_off},
          {"power_on", p.adapter.hooks.power_on},
          {"flash", p.adapter.hooks.flash},
          {"log_start", p.adapter.hooks.log_start},
          {"log_stop", p.adapter.hooks.log_stop},
          {"inject", inject},
          {"timeout_ms", p.adapter.hooks.timeout.count()}}},
        {"manual", {{"instructions", p.adapter.manual.instructions}}}}}};
  // Only for a lossy link: a profile without one keeps the hash it had before these keys.
  if (t.link.preset != profile::LinkPreset::None || t.link.loss > 0) {
    out["timing"]["link_preset"] = name(t.link.preset);
    out["timing"]["loss"] = t.link.loss;
    out["timing"]["loss_seed"] = t.link.seed;
  }
  // Only when set, so a profile without it keeps the hash it had before this key.
  if (t.download_inactivity) out["timing"]["download_inactivity_ms"] = t.download_inactivity->count();
  if (!p.lab_device.empty()) out["lab_device"] = p.lab_device;
  // Only when it is used, so a factory-configured profile keeps the hash it always had.
  const auto& b = p.bootstrap;
  if (b.mode != profile::BootstrapMode::Factory)
    out["bootstrap"] = json{{"mode", name(b.mode)},
                            {"bind", b.bind},
                            {"port", b.port},
                            {"security", security_to_json(b.security)},
                            {"dm_credentials", name(b.dm_credentials)},
                            {"security_instance", b.security_instance},
                            {"server_instance", b.server_instance},
                            {"lifetime", b.lifetime}};
  return out;
}

std::string profile_hash(const json& redacted_profile) {
  // Keys of nlohmann::json objects are sorted, so the dump is canonical for equal profiles.
  std::string text = redacted_profile.dump(-1, ' ', false, json::error_handler_t::replace);
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data(), 0);
  return "sha256:" + to_hex(digest);
}

std::string lab_profile_hash(const json& redacted_profile) {
  return profile_hash(lab_shared_profile(redacted_profile));
}

json lab_shared_profile(const json& redacted_profile) {
  json shared = redacted_profile;
  if (!shared.is_object()) return shared;  // a results.json written by hand: nothing to leave out
  shared.erase("lab_device");
  for (const auto& o : profile::lab_overrides()) {
    if (!shared.contains(o.section)) continue;
    if (o.key.empty()) shared.erase(std::string(o.section));
    else if (auto& section = shared[std::string(o.section)]; section.is_object()) section.erase(std::string(o.key));
  }
  return shared;
}

}  // namespace fc::reports
