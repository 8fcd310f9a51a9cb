#include "refclient/client/command_line.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <system_error>

// GCC 12 at -O2 reports a "potential null pointer dereference" inside CLI11's inlined
// detail::split (std::vector<std::string> growth): a false positive in library code.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "refclient/client/security_options.h"
#include "refclient/firmware/mutants.h"
#include "refclient/firmware/variants.h"

namespace fc::refclient {

namespace {

const std::map<std::string, int> kProtocols{{"coap", 0},     {"coaps", 1},     {"http", 2},
                                             {"https", 3},    {"coap+tcp", 4},  {"coaps+tcp", 5}};
const std::map<std::string, int> kDelivery{{"pull", 0}, {"push", 1}, {"both", 2}};

// Variants come before the mutants: the selfcheck reads each list up to the next heading.
std::string footer() {
  std::string text = "Legal variants (--variant NAME, repeatable); each is a choice the specification permits:\n";
  for (const auto& variant : all_variants()) {
    text += fmt::format("  {}\n      allowed: {}\n      does:    {}\n", variant.name, variant.allowance,
                        variant.behaviour);
  }
  text += "Deliberate faults (--mutant NAME, repeatable); each breaks one rule:\n";
  for (const auto& mutant : all_mutants()) {
    text += fmt::format("  {}\n      rule:   {}\n      breaks: {}\n", mutant.name, mutant.clause, mutant.behaviour);
  }
  return text;
}

void check_state_dir(const std::filesystem::path& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw std::runtime_error(fmt::format("--state-dir {}: cannot create: {}", dir.string(), error.message()));
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error(fmt::format("--state-dir {}: not a directory", dir.string()));
  }
  const auto probe = dir / ".refclient-write-probe";
  {
    std::ofstream out(probe);
    if (!out || !(out << "probe")) {
      throw std::runtime_error(fmt::format("--state-dir {}: not writable", dir.string()));
    }
  }
  std::filesystem::remove(probe, error);
}

void check_key(const std::filesystem::path& key) {
  std::ifstream in(key);
  std::string first_line;
  if (!in || !std::getline(in, first_line)) {
    throw std::runtime_error(fmt::format("--verify-key {}: cannot read the file", key.string()));
  }
}

}  // namespace

ServerAddress parse_server_uri(const std::string& uri) {
  ServerAddress address;
  const auto scheme_end = uri.find("://");
  if (scheme_end == std::string::npos) throw std::invalid_argument(fmt::format("'{}' has no scheme (coap://HOST:PORT)", uri));
  address.scheme = uri.substr(0, scheme_end);
  if (address.scheme != "coap" && address.scheme != "coaps" && address.scheme != "coap+tcp" &&
      address.scheme != "coaps+tcp") {
    throw std::invalid_argument(fmt::format("'{}': scheme must be coap, coaps, coap+tcp or coaps+tcp", uri));
  }
  // RFC 7252 §6.1-6.2 and RFC 8323 §8.1-8.2: 5683 without security, 5684 with.
  address.port = address.scheme == "coaps" || address.scheme == "coaps+tcp" ? 5684 : 5683;

  std::string rest = uri.substr(scheme_end + 3);
  if (!rest.empty() && rest.back() == '/') rest.pop_back();
  if (rest.find('/') != std::string::npos) throw std::invalid_argument(fmt::format("'{}': no path expected", uri));
  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) throw std::invalid_argument(fmt::format("'{}': unterminated [IPv6] host", uri));
    address.host = rest.substr(1, close - 1);
    const auto tail = rest.substr(close + 1);
    if (!tail.empty()) {
      if (tail.front() != ':') throw std::invalid_argument(fmt::format("'{}': junk after the host", uri));
      port_text = tail.substr(1);
    }
  } else {
    const auto colon = rest.rfind(':');
    address.host = rest.substr(0, colon);
    if (colon != std::string::npos) port_text = rest.substr(colon + 1);
  }
  if (address.host.empty()) throw std::invalid_argument(fmt::format("'{}' has no host", uri));
  if (!port_text.empty() || rest.find(':') != std::string::npos) {
    unsigned value = 0;
    const auto* end = port_text.data() + port_text.size();
    const auto [ptr, ec] = std::from_chars(port_text.data(), end, value);
    if (port_text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
      throw std::invalid_argument(fmt::format("'{}': port '{}' is not 1..65535", uri, port_text));
    }
    address.port = static_cast<std::uint16_t>(value);
  }
  return address;
}

CommandLine parse_command_line(int argc, const char* const* argv) {
  ClientOptions options;
  std::string object_version;
  std::vector<std::string> protocols{"coap", "http"};
  std::string delivery = "both";
  std::vector<std::string> mutants;
  std::vector<std::string> variants;
  std::string state_dir;
  std::string verify_key;
  std::optional<std::uint64_t> flash_size;
  std::optional<std::uint64_t> ram_limit;
  double install_seconds = 0;
  bool defer_update = false;
  bool resume_downloads = false;
  std::vector<std::string> formats;

  CLI::App app{"fotacheck-refclient: the fotacheck reference LwM2M client with a Firmware Update object (/5).\n"
               "Registers with the server, serves /1, /3, /4 and /5 until SIGTERM/SIGINT, then de-registers.",
               "fotacheck-refclient"};
  app.option_defaults()->always_capture_default();

  auto* server_option = app.add_option("--server", options.server_uri,
                 "LwM2M server, SCHEME://HOST[:PORT]; the scheme picks the transport: coap (UDP), coaps (DTLS), "
                 "coap+tcp (TCP) or coaps+tcp (TLS), RFC 7252 and RFC 8323");
  auto* bootstrap_option = app.add_option("--bootstrap", options.bootstrap_uri,
                 "Bootstrap server, coap://HOST[:PORT] or coaps:// (with --bootstrap-psk-* or --bootstrap-certificate): "
                 "instead of --server, the client bootstraps (TS Core 5.2) and registers with the server written "
                 "in /0 and /1; the account is kept in --state-dir for later starts");
  server_option->excludes(bootstrap_option);
  app.add_option("--bootstrap-fault", options.bootstrap_fault,
                 "A deliberate bootstrap defect: reject-finish (answers Bootstrap-Finish 4.06) or no-register "
                 "(accepts the bootstrap, then never registers)")
      ->check(CLI::IsMember({"reject-finish", "no-register"}));
  app.add_option("--endpoint", options.endpoint, "Endpoint Client Name sent as ep= in the Register")->required();
  app.add_option("--state-dir", state_dir,
                 "Directory for the firmware slots and persisted /5 state; created when missing")
      ->required();
  app.add_option("--verify-key", verify_key,
                 "PEM public key that checks package signatures; a package that fails the check ends with "
                 "Update Result 5 (integrity check failure), one of an unknown type with Result 6")
      ->required();
  app.add_option("--lifetime", options.lifetime, "Registration lifetime in seconds; an Update is sent at half of it")
      ->check(CLI::Range(1u, 0x7FFFFFFFu));
  app.add_option("--lwm2m", options.lwm2m_version, "LwM2M enabler version sent as lwm2m=")
      ->check(CLI::IsMember({"1.0", "1.1", "1.2"}));
  app.add_option("--object-version", object_version,
                 "Version of the Firmware Update object /5 (default: 1.1 with --lwm2m 1.2, else 1.0)")
      ->check(CLI::IsMember({"1.0", "1.1"}));
  app.add_option("--firmware-version", options.firmware.factory_version,
                 "Factory firmware version, /3/0/3 before any update");
  app.add_option("--serial", options.device.serial, "Serial number, /3/0/2");
  app.add_option("--ack-timeout", options.ack_timeout,
                 "CoAP ACK_TIMEOUT in seconds for every session; fractions allowed, at least 1 "
                 "(libcoap 4.3.1 ignores shorter values)")
      ->check(CLI::Range(1.0, 60.0));
  app.add_option("--ack-random-factor", options.ack_random_factor,
                 "CoAP ACK_RANDOM_FACTOR for every session (RFC 7252 4.8, at least 1.0); 1.0 makes every "
                 "retransmission time and every give-up on a silent peer exact")
      ->check(CLI::Range(1.0, 4.0));
  app.add_option("--max-retransmit", options.max_retransmit, "CoAP MAX_RETRANSMIT for every session")
      ->check(CLI::Range(0, 20));
  std::optional<int> transfer_max_retransmit;
  app.add_option("--transfer-max-retransmit", transfer_max_retransmit,
                 "CoAP MAX_RETRANSMIT of firmware transfers only (pulls, and how long a push may stay silent): "
                 "their MAX_TRANSMIT_WAIT is how long a silent peer is waited for (default: --max-retransmit)")
      ->check(CLI::Range(0, 20));
  app.add_option("--protocols", protocols,
                 "Pull protocols claimed in /5/0/8, comma-separated: coap,coaps,http,https,coap+tcp,coaps+tcp; "
                 "a Package URI with another scheme fails with Update Result 9 (unsupported protocol)")
      ->delimiter(',')
      ->check(CLI::IsMember({"coap", "coaps", "http", "https", "coap+tcp", "coaps+tcp"}));
  app.add_option("--delivery", delivery, "Delivery methods claimed in /5/0/9: pull (0), push (1) or both (2)")
      ->check(CLI::IsMember({"pull", "push", "both"}));
  app.add_option("--formats", formats,
                 "Formats for several values it answers, accepts and advertises in ct=, comma-separated: "
                 "tlv,senml-json,senml-cbor,lwm2m-cbor,lwm2m-json, the first answering Reads without Accept "
                 "(default: all the --lwm2m version has; 1.0 never advertises)")
      ->delimiter(',')
      ->check(CLI::IsMember({"tlv", "senml-json", "senml-cbor", "lwm2m-cbor", "lwm2m-json"}));
  app.add_option("--flash-size", flash_size,
                 "Bytes the download slot holds; a larger package fails with Update Result 2 (not enough flash)");
  app.add_option("--ram-limit", ram_limit,
                 "Bytes of RAM the client may use while receiving; a block that does not fit fails with "
                 "Update Result 3 (out of RAM)");
  app.add_option("--install-time", install_seconds,
                 "Time spent in State 3 (Updating) after Execute Update before the install restarts the client, "
                 "as 500ms, 2s or plain seconds")
      ->transform(CLI::AsNumberWithUnit(std::map<std::string, double>{{"ms", 0.001}, {"s", 1.0}},
                                        CLI::AsNumberWithUnit::CASE_SENSITIVE))
      ->check(CLI::Range(0.0, 3600.0));
  app.add_flag("--defer-update", defer_update,
               "Object 1.1 only: a simulated user defers every Update while /5/0/13 (Maximum Defer Period) is "
               "above 0 (2.04, State stays 2, Update Result 11); the install starts once that period has passed");
  app.add_flag("--resume-downloads", resume_downloads,
               "Continue a pull cut by a lost link or a restart from the bytes held: CoAP from the next Block2 "
               "with the ETag begun, HTTP with Range and If-Match of the strong ETag; another ETag, 412 or a weak "
               "ETag start it over (docs/refclient.md)");
  app.add_option("--mutant", mutants, "Enable a deliberate fault (repeatable; names below)")
      ->check([](const std::string& name) {
        return is_known_mutant(name) ? std::string() : fmt::format("unknown mutant '{}' (see --help)", name);
      });
  app.add_option("--variant", variants, "Make a choice the specification permits (repeatable; names below)")
      ->check([](const std::string& name) {
        return is_known_variant(name) ? std::string() : fmt::format("unknown variant '{}' (see --help)", name);
      });
  app.add_flag("--report-by-send", options.report_by_send,
               "LwM2M 1.1 Send: every change of State (/5/0/3) and Update Result (/5/0/5) is also sent to the "
               "server as POST /dp in SenML CBOR, besides the notifications to its observations");
  double update_interval_s = 3, awake_time_s = 2;
  app.add_flag("--queue-mode", options.queue_mode,
               "Queue mode (TS Core 6.2.1.1): registers with Q (b=UQ with --lwm2m 1.0) and sleeps, reading nothing "
               "from its socket and sending nothing, except for --awake-time after each Register and Update; "
               "notifications and Sends wait for that window");
  app.add_option("--update-interval", update_interval_s,
                 "Queue mode: seconds between the Updates that wake the client (fractions allowed); below half "
                 "the lifetime so that the registration never lapses")
      ->check(CLI::Range(0.5, 86400.0));
  app.add_option("--awake-time", awake_time_s,
                 "Queue mode: seconds the client stays reachable after each Register and Update (TS Core: "
                 "MAX_TRANSMIT_WAIT, 93 s with the default CoAP parameters)")
      ->check(CLI::Range(0.5, 86400.0));
  app.add_option("--bearer", options.connectivity.network_bearer, "Network bearer, /4/0/0 (e.g. 7 NB-IoT, 41 Ethernet)")
      ->check(CLI::Range(0, 50));
  app.add_option("--rssi", options.connectivity.radio_signal_strength, "Radio signal strength in dBm, /4/0/2");
  app.add_option("--link-quality", options.connectivity.link_quality, "Link quality, /4/0/3");
  app.add_option("--log-level", options.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  SecurityArguments security;
  add_security_options(app, security);
  app.footer(footer());

  CommandLine result;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    result.message = app.help();
    return result;
  } catch (const CLI::ParseError& error) {
    result.exit_code = 2;
    result.message = fmt::format("fotacheck-refclient: {}\nRun with --help for the options.", error.what());
    return result;
  }

  try {
    if (options.server_uri.empty() && options.bootstrap_uri.empty())
      throw std::runtime_error("--server or --bootstrap is required");
    if (!options.server_uri.empty()) options.server = parse_server_uri(options.server_uri);
    if (!options.bootstrap_uri.empty()) {
      options.bootstrap = parse_server_uri(options.bootstrap_uri);
      if (options.bootstrap.scheme != "coap" && options.bootstrap.scheme != "coaps")
        throw std::runtime_error("--bootstrap " + options.bootstrap_uri + ": bootstrap is over coap:// or coaps://");
    }
    if (!options.bootstrap_fault.empty() && options.bootstrap_uri.empty())
      throw std::runtime_error("--bootstrap-fault needs --bootstrap");
    if (options.endpoint.empty()) throw std::runtime_error("--endpoint must not be empty");
    check_state_dir(state_dir);
    check_key(verify_key);
    apply_security_options(security, options);
    if (update_interval_s >= options.lifetime / 2.0 && options.queue_mode)
      throw std::runtime_error(fmt::format("--update-interval {} s must be below half the --lifetime ({} s)",
                                           update_interval_s, options.lifetime));
    if (options.report_by_send && options.lwm2m_version == "1.0")
      throw std::runtime_error("--report-by-send needs --lwm2m 1.1 or 1.2: Send is an LwM2M 1.1 operation");
  } catch (const std::exception& error) {
    result.exit_code = 2;
    result.message = fmt::format("fotacheck-refclient: {}", error.what());
    return result;
  }

  auto& firmware = options.firmware;
  firmware.state_dir = state_dir;
  firmware.verify_key = verify_key;
  firmware.object_version = !object_version.empty() ? object_version : (options.lwm2m_version == "1.2" ? "1.1" : "1.0");
  firmware.protocols.clear();
  for (const auto& name : protocols) firmware.protocols.insert(kProtocols.at(name));
  firmware.delivery = kDelivery.at(delivery);
  firmware.flash_size = flash_size;
  firmware.ram_limit = ram_limit;
  firmware.mutants = std::set<std::string>(mutants.begin(), mutants.end());
  firmware.variants = std::set<std::string>(variants.begin(), variants.end());
  firmware.install_time = std::chrono::milliseconds(std::llround(install_seconds * 1000.0));
  firmware.defer_update = defer_update;
  firmware.resume_downloads = resume_downloads;
  firmware.ack_timeout = options.ack_timeout;
  firmware.ack_random_factor = options.ack_random_factor;
  firmware.max_retransmit = transfer_max_retransmit.value_or(options.max_retransmit);
  options.formats = formats.empty() ? default_formats(options.lwm2m_version) : FormatList{};
  for (const auto& name : formats) options.formats.push_back(*lwm2m::from_short_name(name));
  options.update_interval = std::chrono::milliseconds(std::llround(update_interval_s * 1000.0));
  options.awake_time = std::chrono::milliseconds(std::llround(awake_time_s * 1000.0));
  result.options = std::move(options);
  return result;
}

}  // namespace fc::refclient
