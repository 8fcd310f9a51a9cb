// The device profile: everything a vendor declares about one device, as plain typed data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/common/clock.h"

namespace fc::profile {

enum class LwM2MVersion { V1_0, V1_1, V1_2 };

// Which Firmware Update object version the cases hold the device to. "from-registration"
// takes the `ver=` the device puts on </5> (absent means 1.0, TS Core §6.2.1.1).
enum class FirmwareObjectVersion { FromRegistration, V1_0, V1_1 };

struct Device {
  // What reports and comparisons call the device ("Acme T1 rev B"); optional, free text.
  std::string name;
  // Exactly one of the two is set. `endpoint` may hold {run} and {case}, filled in per run.
  std::string endpoint;
  std::string endpoint_pattern;  // ECMAScript regex the registered name must match in full
  std::optional<LwM2MVersion> lwm2m_version;  // unset: accept what the device registers with
  FirmwareObjectVersion firmware_object_version = FirmwareObjectVersion::FromRegistration;
};

enum class SecurityMode { NoSec, Psk, Rpk, X509 };

// A secret is given either inline or as the name of an environment variable that holds it;
// the variable is read when the run starts, never by the loader.
struct PskSettings {
  std::string identity;
  std::string identity_env;
  Bytes key;
  std::string key_env;
};

// Paths are resolved against the directory of the file that names them.
// RPK (RFC 7250): the suite's own key pair, and the one device key it accepts.
struct RpkSettings {
  std::filesystem::path public_key;         // optional: the private key file may hold both halves
  std::filesystem::path private_key;
  std::filesystem::path device_public_key;  // pinned; any other key is refused
};

// X.509: the suite's certificate and key; device certificates must chain to `ca`.
struct X509Settings {
  std::filesystem::path ca;
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

struct Security {
  SecurityMode mode = SecurityMode::NoSec;
  PskSettings psk;
  RpkSettings rpk;
  X509Settings x509;
};

// The registration lifetimes (seconds) the server accepts; unset bounds are open.
struct LifetimeBounds {
  std::optional<std::uint32_t> min;
  std::optional<std::uint32_t> max;
};

// How the device reaches the server: UDP (coap/coaps) or TCP (coap+tcp/coaps+tcp, RFC 8323);
// the security mode decides between the plain and the secure scheme.
enum class Transport { Udp, Tcp };

// The Content-Format the server asks reads in (Accept); Auto picks from what the device
// registered (`ct=`) and declared (capabilities.content_formats).
enum class RequestFormat { Auto, Text, Tlv, SenmlJson, SenmlCbor, LwM2MCbor, LwM2MJson };

struct Server {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port picked at start
  Transport transport = Transport::Udp;
  Security security;
  RequestFormat request_format = RequestFormat::Auto;
  LifetimeBounds lifetime;
  std::vector<LwM2MVersion> refuse_lwm2m_versions;  // answered 4.12, to exercise fallback
};

// Who configures the device's DM account (TS Core §5.2). Factory: the device is started
// with the reference server's URI. ClientInitiated: the device is started with the bootstrap
// server's URI ({bootstrap_uri}) and fotacheck writes the DM account in /0 and /1.
enum class BootstrapMode { Factory, ClientInitiated };

// The credentials the bootstrap server writes for the DM account: the profile's
// server.security, or a fresh PSK identity and key made for this run (server.security psk).
enum class DmCredentials { Profile, PerRun };

struct Bootstrap {
  BootstrapMode mode = BootstrapMode::Factory;
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port picked at start
  Security security;       // what the device presents to the bootstrap server (UDP: nosec or DTLS)
  DmCredentials dm_credentials = DmCredentials::Profile;
  std::uint16_t security_instance = 1;  // the /0 instance written for the DM server
  std::uint16_t server_instance = 0;    // the /1 instance written
  std::uint32_t lifetime = 300;         // /1/x/1, the registration lifetime written (seconds)
};

struct Repository {
  std::string bind = "127.0.0.1";
  std::uint16_t coap_port = 0;
  std::uint16_t http_port = 0;
  std::string advertised_host;  // host put into Package URIs; empty means `bind`
  // coaps:// and coaps+tcp:// pulls: the repository's own credentials (nosec: not served).
  Security security;
  // https:// pulls: the certificate chain and key served (both empty: not served).
  std::filesystem::path https_certificate;
  std::filesystem::path https_private_key;

  const std::string& host_for_device() const {
    return advertised_host.empty() ? bind : advertised_host;
  }
};

enum class PullScheme { Coap, Coaps, Http, Https, CoapTcp, CoapsTcp };

// PICS-like declarations: a case that needs an undeclared capability is `skipped`.
struct Capabilities {
  std::vector<PullScheme> pull;
  bool push = false;
  bool object_1_1 = false;  // Cancel, Severity, Last State Change Time, Max Defer Period
  bool reboot_on_update = false;
  bool resumption = false;
  // Reports State and Update Result with the LwM2M 1.1 Send operation (POST /dp), besides or
  // instead of notifications: each notified value must then be Sent too.
  bool send = false;
  std::optional<std::uint64_t> max_package_size;  // bytes; unset: no declared limit
  // CoAP Content-Format numbers, the same values as fc::lwm2m::ContentFormat.
  std::vector<std::uint16_t> content_formats;
};

enum class PackageFormat { Reference, Anjay, Files };

struct Packages {
  PackageFormat format = PackageFormat::Reference;
  std::string version = "2.0.0";   // the version string of the "new" firmware
  // What Firmware Version (/3/0/3) reads after an install, when it is not `version` (the
  // Anjay demo always reports its library version, e.g. "3.14.0"); empty: `version`.
  std::string expected_version;
  std::uint64_t image_size = 32768;  // bytes of payload the forge builds
  std::filesystem::path signing_key;  // reference format; empty: the suite's test key
  // Format `files`: "valid" is required, other names are extra packages the vendor supplies.
  std::map<std::string, std::filesystem::path> files;
};

enum class FaultMethod { Unsupported, Args, Hook, Package };

struct FaultInjection {
  FaultMethod method = FaultMethod::Unsupported;
  std::vector<std::string> args;  // Args: appended to the process adapter's arguments
  std::string hook;               // Hook: the command, from faults.<f>.hook or adapter.hooks.inject
  std::string package;            // Package: a forge variant, "fails-first-boot", "force-error:1"

  bool supported() const { return method != FaultMethod::Unsupported; }
};

// Faults the suite cannot make on the wire; a case whose fault is unsupported is `not-tested`.
struct Faults {
  FaultInjection flash_full;
  FaultInjection out_of_ram;
  FaultInjection update_fails;
  FaultInjection power_loss;
};

// CoAP transmission parameters (RFC 7252 §4.8) the device uses; defaults are the RFC's.
struct CoapTransmission {
  Duration ack_timeout = 2s;
  double ack_random_factor = 1.5;
  int max_retransmit = 4;
  int nstart = 1;
};

// The link between the device and the suite's repository, as the impairment relay makes it on
// coap:// downloads: a preset (a radio's typical figures) and the keys that override it.
enum class LinkPreset { None, NbIot, LteM };

struct LinkModel {
  LinkPreset preset = LinkPreset::None;
  Duration latency = 0ms;                     // one way, added by the suite's impairment
  std::optional<std::uint64_t> bandwidth;     // bits per second; unset: unlimited
  double loss = 0.0;                          // each datagram lost with this probability
  std::uint32_t seed = 1;                     // of the loss: the same seed drops the same datagrams
};

// What a preset sets before the profile's own keys (docs/device-profiles.md, `timing`).
LinkModel link_preset(LinkPreset preset);
// The link as repository impairments in their text form ("delay:300ms;loss:rate=0.01,seed=1;
// bandwidth:30000"), "" for a perfect link.
std::string link_impairments(const LinkModel& link);

// How long State 3 (Updating) lasts, for a device whose start can set it: {install_time} in the
// adapter's arguments, environment or hooks becomes `usual` (in seconds) for every case and `long`
// for the cases that act while the device is Updating (record::Phase::Updating); the device is
// restarted when a case needs the other one.
struct InstallTime {
  Duration usual{0};
  Duration long_install{0};
};

struct Timing {
  CoapTransmission coap;
  std::optional<InstallTime> install_time;  // unset: the device keeps its own install time
  LinkModel link;
  double scale = 1.0;  // every deadline is multiplied by it (slow radios, emulators)
  Duration register_timeout = 30s;
  // How long the device keeps a transfer open while nothing arrives (an HTTP body that stops,
  // a CoAP separate response that never comes, a push whose server stops sending blocks)
  // before it fails the download (Update Result 4). No specification fixes it; unset, the
  // cases about a silent peer are not-tested.
  std::optional<Duration> download_inactivity;
  // Queue mode (TS Core 6.2.1.1): how long a device registered with Q stays reachable after
  // each Register or Update. Unset: MAX_TRANSMIT_WAIT of `coap` (93 s with the RFC defaults).
  std::optional<Duration> queue_window;
};

enum class AdapterType { Process, Hooks, Manual };
enum class StdinMode { Closed, KeepOpen };

// A local client binary. Arguments and environment values keep their {placeholders}
// ({endpoint}, {server_uri}, {server_port}, {repository_host}, {workdir}, {case},
// {profile_dir}, {psk_identity}, {psk_key}: the last two from server.security.psk, the key as hex;
// {bootstrap_uri}, {bootstrap_psk_identity}, {bootstrap_psk_key} with a client-initiated bootstrap;
// {install_time} from timing.install_time).
struct ProcessAdapter {
  std::string command;  // a bare name is for PATH; a path with '/' is from the profile's folder
  std::vector<std::string> args;
  std::map<std::string, std::string> env;
  StdinMode stdin_mode = StdinMode::Closed;
  std::string ready_pattern;  // ECMAScript regex on the log; empty: ready once started
};

// Shell commands for real hardware. An empty command is an action the rig cannot do.
struct HooksAdapter {
  std::string reset;
  std::string power_off;
  std::string power_on;
  std::string flash;
  std::string log_start;
  std::string log_stop;
  std::map<std::string, std::string> inject;  // fault name -> command
  Duration timeout = 30s;                     // for each hook command
};

struct ManualAdapter {
  std::string instructions;
};

struct Adapter {
  AdapterType type = AdapterType::Manual;
  ProcessAdapter process;
  HooksAdapter hooks;
  ManualAdapter manual;
};

// A file the profile names (a key, a certificate, a package file) with the place that names
// it, so that `validate` and the runner can check it before any case and point at the line.
struct NamedFile {
  std::filesystem::path path;  // resolved against the folder of the file that names it
  std::string key_path;        // "packages.signing_key", "packages.files.valid"
  std::string named_in;        // the profile file, as the loader reached it
  int line = 0;
  int column = 0;
  std::uintmax_t max_bytes = 0;
};

struct Profile {
  std::filesystem::path source;                  // the file given to load_profile
  // The entry of the profile's `devices:` list this profile was loaded for (lab_devices.h);
  // empty for a profile of one device.
  std::string lab_device;
  std::vector<std::filesystem::path> includes;   // included files, outermost first
  std::vector<NamedFile> named_files;            // every path-valued key that was given
  Device device;
  Server server;
  Bootstrap bootstrap;
  Repository repository;
  Capabilities capabilities;
  Packages packages;
  Faults faults;
  Timing timing;
  Adapter adapter;
};

}  // namespace fc::profile
