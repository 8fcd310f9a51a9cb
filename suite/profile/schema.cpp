#include "suite/profile/schema.h"

#include <algorithm>

#include "suite/profile/deadlines.h"
#include "suite/profile/field_checks.h"

namespace fc::profile {

Profile read_schema(const SourceNode& root, ProfileProblems& problems) {
  Profile profile;
  MapReader top(problems, &root, "", root.where);
  top.record_named_files(profile.named_files);
  top.known("include");  // consumed by the include loader, listed for typo suggestions
  schema::read_device(top, profile.device);
  schema::read_server(top, profile.server);
  schema::read_bootstrap(top, profile.server, profile.bootstrap);
  schema::read_repository(top, profile.server, profile.repository);
  schema::read_capabilities(top, profile.device, profile.repository, profile.capabilities);
  schema::read_packages(top, profile.capabilities, profile.packages);
  schema::read_adapter(top, profile.adapter);
  schema::read_faults(top, profile.adapter, profile.faults);
  schema::read_timing(top, profile.timing);
  schema::check_install_time_placeholder(top, profile.adapter, profile.timing);
  top.finish();
  return profile;
}

namespace schema {

namespace {

void check_address(MapReader& map, std::string_view key, std::string& out) {
  std::string value;
  if (!map.string(key, value)) return;
  if (!is_ip_address(value)) {
    map.problem_at(key, "expected an IP address like 127.0.0.1 or ::1, got \"" + value + "\"");
    return;
  }
  out = value;
}

void read_port(MapReader& map, std::string_view key, std::uint16_t& out) {
  map.integer(key, 0, 65535, out);
}

}  // namespace

void read_device(MapReader& root, Device& out) {
  if (!root.has("device")) {
    root.missing("device", "required section is missing");
    return;
  }
  MapReader device = root.section("device");
  const bool has_endpoint = device.has("endpoint");
  const bool has_pattern = device.has("endpoint_pattern");
  std::string endpoint;
  if (device.string("endpoint", endpoint)) {
    // The name travels in a Uri-Query option (TS Core §6.2.1) and in file names of reports.
    const bool printable = std::all_of(endpoint.begin(), endpoint.end(),
                                       [](char c) { return c > ' ' && c < '\x7f'; });
    if (!printable) {
      device.problem_at("endpoint", "an endpoint name is printable ASCII without spaces, got \"" +
                                        endpoint + "\"");
    } else if (auto problem = placeholder_problem(endpoint, endpoint_placeholders())) {
      device.problem_at("endpoint", *problem);
    } else {
      out.endpoint = endpoint;
    }
  }
  std::string pattern;
  if (device.string("endpoint_pattern", pattern)) {
    if (auto problem = regex_problem(pattern)) {
      device.problem_at("endpoint_pattern", "not a valid regular expression: " + *problem);
    } else {
      out.endpoint_pattern = pattern;
    }
  }
  if (has_endpoint && has_pattern) {
    device.problem_at("endpoint_pattern", "give either endpoint or endpoint_pattern, not both");
  } else if (!has_endpoint && !has_pattern && device.present()) {
    device.missing("endpoint", "required key is missing (or give endpoint_pattern)");
  }
  device.string("name", out.name);
  device.choice("lwm2m_version", out.lwm2m_version);
  device.choice("firmware_object_version", out.firmware_object_version);
  device.finish();
}

namespace {

void read_secret_name(MapReader& map, std::string_view key, std::string& out) {
  std::string name;
  if (!map.string(key, name)) return;
  if (!is_env_name(name)) {
    map.problem_at(key, "expected an environment variable name like FOTA_PSK_KEY, got \"" +
                            name + "\"");
    return;
  }
  out = name;
}

// A secret given inline or by environment variable: exactly one of the two when required.
void require_one_of(MapReader& map, std::string_view inline_key, std::string_view env_key,
                    bool required, std::string_view mode) {
  const bool inline_given = map.has(inline_key);
  const bool env_given = map.has(env_key);
  if (inline_given && env_given) {
    map.problem_at(env_key, "give either " + std::string(inline_key) + " or " +
                                std::string(env_key) + ", not both");
  } else if (required && !inline_given && !env_given) {
    map.missing(inline_key, "required when security.mode is " + std::string(mode) + " (or give " +
                                std::string(env_key) + ")");
  }
}

void read_security(MapReader& owner, Security& out) {
  MapReader security = owner.section("security");
  security.choice("mode", out.mode);

  MapReader psk = security.section("psk");
  psk.string("identity", out.psk.identity);
  read_secret_name(psk, "identity_env", out.psk.identity_env);
  std::string key;
  if (psk.string("key", key)) {
    try {
      out.psk.key = from_hex(key);
    } catch (const std::invalid_argument& error) {
      psk.problem_at("key", "expected the key as hex digits like \"0a1b2c3d\", got \"" + key +
                                "\" (" + error.what() + ")");
    }
  }
  read_secret_name(psk, "key_env", out.psk.key_env);
  const bool is_psk = out.mode == SecurityMode::Psk;
  require_one_of(psk, "identity", "identity_env", is_psk, "psk");
  require_one_of(psk, "key", "key_env", is_psk, "psk");
  psk.finish();

  MapReader rpk = security.section("rpk");
  const bool is_rpk = out.mode == SecurityMode::Rpk;
  rpk.file_path("public_key", out.rpk.public_key);  // the private key file may hold both halves
  if (!rpk.file_path("private_key", out.rpk.private_key) && is_rpk && !rpk.has("private_key")) {
    rpk.missing("private_key", "required when security.mode is rpk");
  }
  if (!rpk.file_path("device_public_key", out.rpk.device_public_key) && is_rpk &&
      !rpk.has("device_public_key")) {
    rpk.missing("device_public_key",
                "required when security.mode is rpk: the one device key the suite accepts");
  }
  rpk.finish();

  MapReader x509 = security.section("x509");
  const bool is_x509 = out.mode == SecurityMode::X509;
  if (!x509.file_path("ca", out.x509.ca) && is_x509 && !x509.has("ca")) {
    x509.missing("ca", "required when security.mode is x509: device certificates must chain to it");
  }
  if (!x509.file_path("certificate", out.x509.certificate) && is_x509 &&
      !x509.has("certificate")) {
    x509.missing("certificate", "required when security.mode is x509");
  }
  if (!x509.file_path("private_key", out.x509.private_key) && is_x509 &&
      !x509.has("private_key")) {
    x509.missing("private_key", "required when security.mode is x509");
  }
  x509.finish();
  security.finish();
}

}  // namespace

void read_server(MapReader& root, Server& out) {
  MapReader server = root.section("server");
  check_address(server, "bind", out.bind);
  read_port(server, "port", out.port);
  server.choice("transport", out.transport);
  read_security(server, out.security);
  server.choice("request_format", out.request_format);

  MapReader lifetime = server.section("lifetime");
  constexpr std::int64_t max_lifetime = 0xFFFF'FFFF;  // the 32-bit `lt` of TS Core §6.2.1
  const bool min_read = lifetime.integer("min", 1, max_lifetime, out.lifetime.min);
  const bool max_read = lifetime.integer("max", 1, max_lifetime, out.lifetime.max);
  if (min_read && max_read && *out.lifetime.max < *out.lifetime.min) {
    lifetime.problem_at("max", "must not be below lifetime.min (" +
                                   std::to_string(*out.lifetime.min) + "), got " +
                                   std::to_string(*out.lifetime.max));
  }
  lifetime.finish();

  server.choice_list("refuse_lwm2m_versions", choices<LwM2MVersion>(),
                     out.refuse_lwm2m_versions);
  server.finish();
}

void read_bootstrap(MapReader& root, const Server& server, Bootstrap& out) {
  MapReader bootstrap = root.section("bootstrap");
  bootstrap.choice("mode", out.mode);
  check_address(bootstrap, "bind", out.bind);
  read_port(bootstrap, "port", out.port);
  read_security(bootstrap, out.security);
  bootstrap.choice("dm_credentials", out.dm_credentials);
  // Instance ids up to 65534: 65535 is reserved (TS Core §7.2).
  bootstrap.integer("security_instance", 0, 65534, out.security_instance);
  bootstrap.integer("server_instance", 0, 65534, out.server_instance);
  bootstrap.integer("lifetime", 1, 0xFFFF'FFFF, out.lifetime);
  const bool client_initiated = out.mode == BootstrapMode::ClientInitiated;
  if (!client_initiated && bootstrap.present()) {
    for (std::string_view key : {"port", "security", "dm_credentials", "security_instance", "server_instance", "lifetime"}) {
      if (bootstrap.has(key)) {
        bootstrap.problem_at(key, "takes effect only with bootstrap.mode client-initiated (the mode is factory)");
        break;
      }
    }
  }
  if (out.dm_credentials == DmCredentials::PerRun && server.security.mode != SecurityMode::Psk) {
    bootstrap.problem_at("dm_credentials", "per-run credentials are a fresh PSK identity and key: they need "
                                           "server.security.mode psk (it is " +
                                               std::string(to_string(server.security.mode)) + ")");
  }
  if (client_initiated && out.security.mode == SecurityMode::Rpk) {
    bootstrap.problem_at("security", "the bootstrap server takes nosec, psk or x509 (rpk is for the DM server only)");
  }
  if (client_initiated && server.transport == Transport::Tcp) {
    bootstrap.problem_at("mode", "client-initiated bootstrap is over UDP (coap/coaps); server.transport is tcp");
  }
  if (client_initiated && out.port != 0 && out.port == server.port && out.bind == server.bind) {
    bootstrap.problem_at("port", "is server.port too (" + std::to_string(server.port) + " on " + out.bind +
                                     "); use another port or 0");
  }
  bootstrap.finish();
}

void read_repository(MapReader& root, const Server& server, Repository& out) {
  MapReader repository = root.section("repository");
  check_address(repository, "bind", out.bind);
  read_port(repository, "coap_port", out.coap_port);
  read_port(repository, "http_port", out.http_port);
  read_security(repository, out.security);
  MapReader https = repository.section("https");
  const bool has_certificate = https.file_path("certificate", out.https_certificate);
  const bool has_key = https.file_path("private_key", out.https_private_key);
  if (has_certificate && !has_key && !https.has("private_key")) {
    https.missing("private_key", "required with https.certificate");
  } else if (has_key && !has_certificate && !https.has("certificate")) {
    https.missing("certificate", "required with https.private_key");
  }
  https.finish();
  std::string host;
  if (repository.string("advertised_host", host)) {
    if (is_host(host)) {
      out.advertised_host = host;
    } else {
      repository.problem_at("advertised_host",
                            "expected a host name or IP address, got \"" + host + "\"");
    }
  }
  // Both speak CoAP over UDP: one fixed port cannot serve both on the same address.
  if (out.coap_port != 0 && out.coap_port == server.port && out.bind == server.bind) {
    repository.problem_at("coap_port", "is server.port too (" + std::to_string(server.port) +
                                           " on " + out.bind + "); use another port or 0");
  }
  repository.finish();
}

void read_timing(MapReader& root, Timing& out) {
  MapReader timing = root.section("timing");
  MapReader coap = timing.section("coap");
  coap.duration("ack_timeout", false, out.coap.ack_timeout);
  coap.number("ack_random_factor", 1.0, std::nullopt, out.coap.ack_random_factor);
  // 2^(max_retransmit + 1) in MAX_TRANSMIT_WAIT: 20 already means days.
  coap.integer("max_retransmit", 0, 20, out.coap.max_retransmit);
  coap.integer("nstart", 1, 64, out.coap.nstart);
  coap.finish();

  MapReader link = timing.section("link");
  // A preset first, so the keys written next to it override its figures.
  LinkPreset preset = LinkPreset::None;
  if (link.choice("preset", preset)) out.link = link_preset(preset);
  link.duration("latency", true, out.link.latency);
  link.integer("bandwidth", 1, std::numeric_limits<std::int64_t>::max(), out.link.bandwidth);
  // Past one datagram in two, a block-wise download hardly ever finishes.
  link.number("loss", 0.0, 0.5, out.link.loss);
  link.integer("seed", 0, std::numeric_limits<std::uint32_t>::max(), out.link.seed);
  link.finish();

  timing.number("scale", min_scale, max_scale, out.scale);
  timing.duration("register_timeout", false, out.register_timeout);
  Duration inactivity{0};
  if (timing.duration("download_inactivity", false, inactivity)) out.download_inactivity = inactivity;
  Duration window{};
  if (timing.duration("queue_window", false, window)) out.queue_window = window;
  if (timing.has("install_time")) {
    MapReader install = timing.section("install_time");
    InstallTime times;
    const bool usual = install.duration("usual", true, times.usual);
    const bool long_install = install.duration("long", false, times.long_install);
    if (!install.has("usual")) install.missing("usual", "how long State 3 lasts in every other case (0s: at once)");
    if (!install.has("long")) install.missing("long", "how long State 3 lasts in the cases that act in it");
    if (usual && long_install && times.long_install <= times.usual)
      install.problem_at("long", "must be longer than usual");
    install.finish();
    if (usual && long_install && times.long_install > times.usual) out.install_time = times;
  }

  // Each value may be fine alone and still multiply into a wait no run can sit out.
  const CoapDeadlines deadlines = derive_deadlines(out);
  const std::pair<const char*, Duration> longest[] = {
      {"register_timeout x scale", deadlines.register_timeout},
      {"MAX_TRANSMIT_WAIT", deadlines.max_transmit_wait},
      {"EXCHANGE_LIFETIME", deadlines.exchange_lifetime},
  };
  for (const auto& [name, value] : longest) {
    if (value <= longest_wait) continue;
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(value).count();
    timing.problem(timing.anchor(), timing.path(),
                   std::string("these values make ") + name + " " + std::to_string(hours) +
                           "h, over the 168h limit on any wait; lower ack_timeout, "
                           "max_retransmit, ack_random_factor, register_timeout or scale");
    break;
  }
  timing.finish();
}

}  // namespace schema

}  // namespace fc::profile
