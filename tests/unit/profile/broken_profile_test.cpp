// Every broken profile under broken/ and the exact problems the loader reports for it: the file,
// line, column, key path and message a vendor would read.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "suite/profile/loader.h"

namespace fc::profile {
namespace {

const std::string broken_dir = FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken/";

struct BrokenCase {
  const char* file;
  std::vector<std::string> problems;
};

// Problem texts with the directory of the broken files removed, so they read as a user sees
// them when running from that directory.
std::vector<std::string> problem_texts(const ProfileLoad& load) {
  std::vector<std::string> texts;
  for (const auto& problem : load.problems) {
    std::string text = problem.str();
    for (auto at = text.find(broken_dir); at != std::string::npos; at = text.find(broken_dir)) {
      text.erase(at, broken_dir.size());
    }
    texts.push_back(text);
  }
  return texts;
}

// Keeps test names readable in ctest output.
void PrintTo(const BrokenCase& c, std::ostream* out) { *out << c.file; }

class BrokenProfile : public testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenProfile, ReportsExactlyTheseProblems) {
  const ProfileLoad load = load_profile(broken_dir + GetParam().file);
  EXPECT_FALSE(load.profile.has_value());
  EXPECT_EQ(problem_texts(load), GetParam().problems);
}

// yaml-cpp 0.7 accepts a key given twice (both pairs reach the node); the loader itself
// finds duplicates, see duplicate_key.yaml.
const BrokenCase broken_cases[] = {
    {"alias_loop.yaml",
     {R"(alias_loop.yaml:6:11: adapter.manual.instructions.instructions.instructions.instru...: nested deeper than 64 levels (an alias inside its own anchor?))"}},
    {"bad_adapter_type.yaml",
     {R"(bad_adapter_type.yaml:5:9: adapter.type: expected one of process, hooks, manual, got "docker")"}},
    {"bad_addresses.yaml",
     {R"(bad_addresses.yaml:5:9: server.bind: expected an IP address like 127.0.0.1 or ::1, got "127.0.0.l")",
      R"(bad_addresses.yaml:7:20: repository.advertised_host: expected a host name or IP address, got "http://fota.example")"}},
    {"bad_bootstrap.yaml",
     {R"(bad_bootstrap.yaml:7:19: bootstrap.dm_credentials: per-run credentials are a fresh PSK identity and key: they need server.security.mode psk (it is nosec))",
      R"(bad_bootstrap.yaml:8:22: bootstrap.security_instance: expected an integer from 0 to 65534, got "65535")",
      R"(bad_bootstrap.yaml:9:3: bootstrap.security.rpk.private_key: required when security.mode is rpk)",
      R"(bad_bootstrap.yaml:9:3: bootstrap.security.rpk.device_public_key: required when security.mode is rpk: the one device key the suite accepts)",
      R"(bad_bootstrap.yaml:10:5: bootstrap.security: the bootstrap server takes nosec, psk or x509 (rpk is for the DM server only))"}},
    {"bootstrap_keys_in_factory_mode.yaml",
     {R"(bootstrap_keys_in_factory_mode.yaml:6:9: bootstrap.port: takes effect only with bootstrap.mode client-initiated (the mode is factory))"}},
    {"bad_bool.yaml",
     {R"(bad_bool.yaml:5:9: capabilities.push: expected true or false, got "yes")",
      R"(bad_bool.yaml:6:15: capabilities.object_1_1: expected true or false, got "1")"}},
    {"send_and_queue.yaml",
     {R"(send_and_queue.yaml:6:9: capabilities.send: Send (POST /dp) is an LwM2M 1.1 operation, but device.lwm2m_version is 1.0)",
      R"(send_and_queue.yaml:8:17: timing.queue_window: expected a duration greater than 0, got "0s")"}},
    {"bad_content_format.yaml",
     {R"(bad_content_format.yaml:5:26: capabilities.content_formats[1]: expected one of text, link, opaque, cbor, senml-json, senml-cbor, tlv, lwm2m-json, lwm2m-cbor, got "xml")"}},
    {"bad_duration.yaml",
     {R"(bad_duration.yaml:6:18: timing.coap.ack_timeout: expected a duration like "2s" or "500ms", got "fast")"}},
    {"bad_endpoint_name.yaml",
     {R"(bad_endpoint_name.yaml:3:13: device.endpoint: an endpoint name is printable ASCII without spaces, got "my device")",
      R"(bad_endpoint_name.yaml:6:1: time\x09out: unknown key; expected one of: include, device, server, bootstrap, repository, capabilities, packages, adapter, faults, timing)"}},
    {"bad_indentation.yaml",
     {R"(bad_indentation.yaml:4:18: YAML syntax error: illegal map value)"}},
    {"bad_regex.yaml",
     {R"(bad_regex.yaml:3:21: device.endpoint_pattern: not a valid regular expression: Unexpected character within '[...]' in regular expression)"}},
    {"bad_scheme.yaml",
     {R"(bad_scheme.yaml:5:16: capabilities.pull[1]: expected one of coap, coaps, http, https, coap+tcp, coaps+tcp, got "ftp")"}},
    {"bad_security_mode.yaml",
     {R"(bad_security_mode.yaml:6:11: server.security.mode: expected one of nosec, psk, rpk, x509, got "tls")"}},
    {"bad_versions.yaml",
     {R"(bad_versions.yaml:4:18: device.lwm2m_version: expected one of 1.0, 1.1, 1.2, got "1.3")",
      R"(bad_versions.yaml:5:28: device.firmware_object_version: expected one of from-registration, 1.0, 1.1, got "2.0")",
      R"(bad_versions.yaml:7:34: server.refuse_lwm2m_versions[1]: expected one of 1.0, 1.1, 1.2, got "0.9")"}},
    {"both_endpoints.yaml",
     {R"(both_endpoints.yaml:4:21: device.endpoint_pattern: give either endpoint or endpoint_pattern, not both)"}},
    {"duplicate_key.yaml",
     {R"(duplicate_key.yaml:4:3: device.endpoint: duplicate key (first given at line 3))",
      R"(duplicate_key.yaml:7:3: adapter.type: duplicate key (first given at line 6))"}},
    {"duplicate_scheme.yaml",
     {R"(duplicate_scheme.yaml:5:22: capabilities.pull[2]: "coap" is listed twice)"}},
    {"empty.yaml",
     {R"(empty.yaml:1:1: device: required section is missing)",
      R"(empty.yaml:1:1: adapter: required section is missing)"}},
    {"empty_value.yaml",
     {R"(empty_value.yaml:6:5: timing.coap.ack_timeout: expected a duration like "2s" or "500ms", got nothing)"}},
    {"fault_args_needs_process.yaml",
     {R"(fault_args_needs_process.yaml:6:13: faults.flash_full.method: method args needs adapter.type process, got hooks)"}},
    {"fault_bad_method.yaml",
     {R"(fault_bad_method.yaml:6:13: faults.power_loss.method: expected one of args, hook, package, unsupported, got "magic")",
      R"(fault_bad_method.yaml:7:15: faults.flash_full: expected one of args, hook, package, unsupported, got "maybe")"}},
    {"fault_missing_method.yaml",
     {R"(fault_missing_method.yaml:5:3: faults.update_fails.method: required key is missing; one of args, hook, package, unsupported)",
      R"(fault_missing_method.yaml:7:3: faults.power_loss: expected a method name or a map with method, got nothing)"}},
    {"fault_missing_parameters.yaml",
     {R"(fault_missing_parameters.yaml:5:15: faults.power_loss: method hook needs a command: faults.power_loss.hook or adapter.hooks.inject.power_loss)",
      R"(fault_missing_parameters.yaml:7:13: faults.out_of_ram.method: method package needs faults.out_of_ram.package (a variant like "force-error:1"))",
      R"(fault_missing_parameters.yaml:10:14: faults.update_fails.package: expected a package variant like "fails-first-boot" or "force-error:1", got "Force Error")",
      R"(fault_missing_parameters.yaml:13:11: faults.flash_full.args: must list at least one argument)"}},
    {"files_missing_valid.yaml",
     {R"(files_missing_valid.yaml:4:1: packages.files.valid: required when format is files)",
      R"(files_missing_valid.yaml:8:5: packages.files.Big Image: a package name is lower-case letters, digits, '-' and '_')"}},
    {"hooks_incomplete.yaml",
     {R"(hooks_incomplete.yaml:6:3: adapter.hooks.reset: required when adapter.type is hooks (or give power_on))",
      R"(hooks_incomplete.yaml:7:16: adapter.hooks.power_off: needs adapter.hooks.power_on too)",
      R"(hooks_incomplete.yaml:9:7: adapter.hooks.inject.brownout: unknown fault; expected one of: flash_full, out_of_ram, update_fails, power_loss)"}},
    {"image_size_huge.yaml",
     {R"(image_size_huge.yaml:5:15: packages.image_size: expected an integer from 1 to 268435456, got "4294967296")"}},
    {"include_base_syntax.yaml",
     {R"(syntax_error.yaml:6:8: YAML syntax error: end of sequence flow not found)"}},
    {"include_cycle_a.yaml",
     {R"(include_cycle_b.yaml:2:10: include: include cycle: include_cycle_a.yaml -> include_cycle_b.yaml -> include_cycle_a.yaml)"}},
    {"include_dev_urandom.yaml",
     {R"(include_dev_urandom.yaml:2:10: include: cannot read included file "/dev/urandom": is a character device, not a regular file (include chain: include_dev_urandom.yaml -> /dev/urandom))"}},
    {"include_dev_zero.yaml",
     {R"(include_dev_zero.yaml:2:10: include: cannot read included file "/dev/zero": is a character device, not a regular file (include chain: include_dev_zero.yaml -> /dev/zero))"}},
    {"include_directory.yaml",
     {R"(include_directory.yaml:2:10: include: cannot read included file "/": is a directory (include chain: include_directory.yaml -> /))"}},
    {"include_error_in_base.yaml",
     {R"(include_base_with_error.yaml:5:10: timing.scale: expected a number from 0.1 to 100, got "-1")"}},
    {"include_missing.yaml",
     {R"(include_missing.yaml:2:10: include: cannot read included file "nothere.yaml": No such file or directory (include chain: include_missing.yaml -> nothere.yaml))"}},
    {"include_not_a_path.yaml",
     {R"(include_not_a_path.yaml:2:10: include: expected the path of a profile file to include, got a list)"}},
    {"include_self.yaml",
     {R"(include_self.yaml:2:10: include: include cycle: include_self.yaml -> include_self.yaml)"}},
    {"lifetime_inverted.yaml",
     {R"(lifetime_inverted.yaml:7:10: server.lifetime.max: must not be below lifetime.min (600), got 60)"}},
    {"many_problems.yaml",
     {R"(many_problems.yaml:4:28: device.firmware_object_version: expected one of from-registration, 1.0, 1.1, got "1.2")",
      R"(many_problems.yaml:6:9: server.port: expected an integer from 0 to 65535, got "http")",
      R"(many_problems.yaml:8:16: capabilities.pull[1]: expected one of coap, coaps, http, https, coap+tcp, coaps+tcp, got "tftp")",
      R"(many_problems.yaml:9:9: capabilities.push: expected true or false, got "maybe")",
      R"(many_problems.yaml:11:10: timing.scale: expected a number from 0.1 to 100, got "fast")",
      R"(many_problems.yaml:13:9: adapter.type: expected one of process, hooks, manual, got "manuel")"}},
    {"missing_adapter.yaml",
     {R"(missing_adapter.yaml:2:1: adapter: required section is missing)"}},
    {"missing_adapter_type.yaml",
     {R"(missing_adapter_type.yaml:4:1: adapter.type: required key is missing; one of process, hooks, manual)"}},
    {"missing_endpoint.yaml",
     {R"(missing_endpoint.yaml:2:1: device.endpoint: required key is missing (or give endpoint_pattern))"}},
    {"not_a_map.yaml",
     {R"(not_a_map.yaml:2:1: a profile is a map of sections, got a list)"}},
    {"package_limits.yaml",
     {R"(package_limits.yaml:8:12: packages.version: the anjay package header holds at most 24 characters, got 30)",
      R"(package_limits.yaml:9:15: packages.image_size: is larger than capabilities.max_package_size (4096), got 8192)"}},
    {"port_clash.yaml",
     {R"(port_clash.yaml:7:14: repository.coap_port: is server.port too (5683 on 127.0.0.1); use another port or 0)"}},
    {"ports_out_of_range.yaml",
     {R"(ports_out_of_range.yaml:5:9: server.port: expected an integer from 0 to 65535, got "70000")",
      R"(ports_out_of_range.yaml:7:14: repository.http_port: expected an integer from 0 to 65535, got "-1")"}},
    {"process_missing_command.yaml",
     {R"(process_missing_command.yaml:4:1: adapter.process.command: required when adapter.type is process)"}},
    {"psk_env_names.yaml",
     {R"(psk_env_names.yaml:9:21: server.security.psk.identity_env: give either identity or identity_env, not both)",
      R"(psk_env_names.yaml:10:16: server.security.psk.key_env: expected an environment variable name like FOTA_PSK_KEY, got "MY-KEY")"}},
    {"psk_key_not_hex.yaml",
     {R"(psk_key_not_hex.yaml:9:12: server.security.psk.key: expected the key as hex digits like "0a1b2c3d", got "zz11" (not a hex digit: 'z'))"}},
    {"psk_missing_key.yaml",
     {R"(psk_missing_key.yaml:7:5: server.security.psk.key: required when security.mode is psk (or give key_env))"}},
    {"pull_not_list.yaml",
     {R"(pull_not_list.yaml:5:9: capabilities.pull: expected a list, got "coap")"}},
    {"rpk_x509_missing.yaml",
     {R"(rpk_x509_missing.yaml:5:3: server.security.rpk.private_key: required when security.mode is rpk)",
      R"(rpk_x509_missing.yaml:5:3: server.security.rpk.device_public_key: required when security.mode is rpk: the one device key the suite accepts)",
      R"(rpk_x509_missing.yaml:8:11: server.security.x509.ca: must not be empty)"}},
    {"secure_pull_without_credentials.yaml",
     {R"(secure_pull_without_credentials.yaml:5:14: server.transport: expected one of udp, tcp, got "sctp")",
      R"(secure_pull_without_credentials.yaml:7:3: repository.https.private_key: required with https.certificate)",
      R"(secure_pull_without_credentials.yaml:10:9: capabilities.pull: coaps needs repository.security (psk, rpk or x509) to serve it)",
      R"(secure_pull_without_credentials.yaml:10:9: capabilities.pull: coaps+tcp needs repository.security (psk, rpk or x509) to serve it)"}},
    {"sizes_not_positive.yaml",
     {R"(sizes_not_positive.yaml:5:21: capabilities.max_package_size: expected an integer >= 1, got "-1")",
      R"(sizes_not_positive.yaml:7:15: packages.image_size: expected an integer from 1 to 268435456, got "0")"}},
    {"syntax_error.yaml",
     {R"(syntax_error.yaml:6:8: YAML syntax error: end of sequence flow not found)"}},
    {"timing_ranges.yaml",
     {R"(timing_ranges.yaml:6:24: timing.coap.ack_random_factor: expected a number >= 1, got "0.5")",
      R"(timing_ranges.yaml:7:21: timing.coap.max_retransmit: expected an integer from 0 to 20, got "25")",
      R"(timing_ranges.yaml:8:13: timing.coap.nstart: expected an integer from 1 to 64, got "0")",
      R"(timing_ranges.yaml:10:16: timing.link.bandwidth: expected an integer >= 1, got "0")",
      R"(timing_ranges.yaml:11:10: timing.scale: expected a number from 0.1 to 100, got "0")"}},
    {"timing_scale_huge.yaml",
     {R"(timing_scale_huge.yaml:5:10: timing.scale: expected a number from 0.1 to 100, got "1e300")"}},
    {"timing_scale_nan.yaml",
     {R"(timing_scale_nan.yaml:5:10: timing.scale: expected a number from 0.1 to 100, got "nan")"}},
    {"timing_scale_tiny.yaml",
     {R"(timing_scale_tiny.yaml:5:10: timing.scale: expected a number from 0.1 to 100, got "1e-300")"}},
    {"timing_too_long.yaml",
     {R"(timing_too_long.yaml:4:1: timing: these values make MAX_TRANSMIT_WAIT 6141h, over the 168h limit on any wait; lower ack_timeout, max_retransmit, ack_random_factor, register_timeout or scale)"}},
    {"two_documents.yaml",
     {R"(two_documents.yaml:6:1: a profile is one YAML document, found more)"}},
    {"unknown_device_key.yaml",
     {R"(unknown_device_key.yaml:4:3: device.lwm2m_verison: unknown key; did you mean "lwm2m_version"?)"}},
    {"unknown_fault.yaml",
     {R"(unknown_fault.yaml:5:3: faults.disk_full: unknown key; expected one of: flash_full, out_of_ram, update_fails, power_loss)"}},
    {"unknown_key_no_suggestion.yaml",
     {R"(unknown_key_no_suggestion.yaml:5:3: capabilities.colour: unknown key; expected one of: pull, push, object_1_1, reboot_on_update, resumption, send, max_package_size, content_formats)"}},
    {"unknown_keys_everywhere.yaml",
     {R"(unknown_keys_everywhere.yaml:5:3: server.prot: unknown key; did you mean "port"?)",
      R"(unknown_keys_everywhere.yaml:7:5: server.lifetime.minimum: unknown key; did you mean "min"?)",
      R"(unknown_keys_everywhere.yaml:10:7: server.security.x509.cert: unknown key; did you mean "certificate"?)",
      R"(unknown_keys_everywhere.yaml:12:3: repository.http_prot: unknown key; did you mean "http_port"?)",
      R"(unknown_keys_everywhere.yaml:14:3: packages.fromat: unknown key; did you mean "format"?)",
      R"(unknown_keys_everywhere.yaml:17:13: faults.power_loss.method: method hook needs a command: faults.power_loss.hook or adapter.hooks.inject.power_loss)",
      R"(unknown_keys_everywhere.yaml:18:5: faults.power_loss.hok: unknown key; did you mean "hook"?)",
      R"(unknown_keys_everywhere.yaml:21:5: timing.link.latncy: unknown key; did you mean "latency"?)",
      R"(unknown_keys_everywhere.yaml:26:5: adapter.process.ready_patern: unknown key; did you mean "ready_pattern"?)",
      R"(unknown_keys_everywhere.yaml:28:5: adapter.hooks.rest: unknown key; did you mean "reset"?)",
      R"(unknown_keys_everywhere.yaml:30:5: adapter.manual.instruction: unknown key; did you mean "instructions"?)",
      R"(unknown_keys_everywhere.yaml:31:3: adapter.proces: unknown key; did you mean "process"?)"}},
    {"install_time_placeholder_without_values.yaml",
     {R"(install_time_placeholder_without_values.yaml:5:3: timing: the adapter uses {install_time}: give timing.install_time (usual, long))"}},
    {"install_time_long_not_longer.yaml",
     {R"(install_time_long_not_longer.yaml:7:11: timing.install_time.long: must be longer than usual)"}},
    {"unknown_placeholder_arg.yaml",
     {R"(unknown_placeholder_arg.yaml:8:18: adapter.process.args[1]: unknown placeholder {endpiont}; known: {endpoint}, {server_uri}, {server_port}, {repository_host}, {workdir}, {case}, {profile_dir}, {psk_identity}, {psk_key}, {bootstrap_uri}, {bootstrap_psk_identity}, {bootstrap_psk_key}, {install_time}, {suite_bin})"}},
    {"unknown_placeholder_endpoint.yaml",
     {R"(unknown_placeholder_endpoint.yaml:3:13: device.endpoint: unknown placeholder {rnu}; known: {run}, {case})"}},
    {"unknown_psk_key.yaml",
     {R"(unknown_psk_key.yaml:7:5: server.security.psk.identity: required when security.mode is psk (or give identity_env))",
      R"(unknown_psk_key.yaml:8:7: server.security.psk.identiy: unknown key; did you mean "identity"?)"}},
    {"unknown_timing_key.yaml",
     {R"(unknown_timing_key.yaml:6:5: timing.coap.ack_timout: unknown key; did you mean "ack_timeout"?)"}},
    {"unknown_top_key.yaml",
     {R"(unknown_top_key.yaml:2:1: device: required section is missing)",
      R"(unknown_top_key.yaml:2:1: devices: expected a list of lab devices, got a map; did you mean "device"?)"}},
    {"wrong_types.yaml",
     {R"(wrong_types.yaml:3:13: device.endpoint: expected a string, got a list)",
      R"(wrong_types.yaml:4:9: server: expected a map, got "127.0.0.1")",
      R"(wrong_types.yaml:9:11: adapter.process.args: expected a list, got "-t -e dev-1")",
      R"(wrong_types.yaml:11:12: adapter.process.env.LOG: expected a string, got a list)",
      R"(wrong_types.yaml:12:7: adapter.process.env.BAD-NAME: not an environment variable name)",
      R"(wrong_types.yaml:13:12: adapter.process.stdin: expected one of closed, keep-open, got "open")"}},
    {"zero_and_negative_durations.yaml",
     {R"(zero_and_negative_durations.yaml:5:21: timing.register_timeout: expected a duration greater than 0, got "0s")",
      R"(zero_and_negative_durations.yaml:7:14: timing.link.latency: expected a duration like "2s" or "500ms", got "-5ms")",
      R"(zero_and_negative_durations.yaml:12:14: adapter.hooks.timeout: expected a duration like "2s" or "500ms", got "1.0005s")"}},
};

std::string case_name(const testing::TestParamInfo<BrokenCase>& info) {
  std::string name = info.param.file;
  name = name.substr(0, name.find('.'));
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, BrokenProfile, testing::ValuesIn(broken_cases), case_name);

TEST(BrokenProfileFields, ProblemCarriesFileLineColumnAndKeyPathSeparately) {
  const ProfileLoad load = load_profile(broken_dir + "bad_duration.yaml");
  ASSERT_EQ(load.problems.size(), 1u);
  const ProfileProblem& problem = load.problems[0];
  EXPECT_EQ(problem.file, broken_dir + "bad_duration.yaml");
  EXPECT_EQ(problem.line, 6);
  EXPECT_EQ(problem.column, 18);
  EXPECT_EQ(problem.key_path, "timing.coap.ack_timeout");
  EXPECT_EQ(problem.message, R"(expected a duration like "2s" or "500ms", got "fast")");
}

TEST(BrokenProfileFields, MissingFileIsAProblemAtLineZero) {
  const ProfileLoad load = load_profile(broken_dir + "no-such-profile.yaml");
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].line, 0);
  EXPECT_EQ(load.problems[0].str(),
            broken_dir + "no-such-profile.yaml: cannot read the profile: No such file or directory");
}

TEST(BrokenProfileFields, DirectoryIsAProblemAtLineZero) {
  const ProfileLoad load = load_profile(FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken");
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].str(),
            FOTACHECK_SOURCE_DIR "/tests/unit/profile/broken: cannot read the profile: is a directory");
}

TEST(BrokenProfileFields, SyntaxErrorHasNoKeyPath) {
  const ProfileLoad load = load_profile(broken_dir + "syntax_error.yaml");
  ASSERT_EQ(load.problems.size(), 1u);
  EXPECT_EQ(load.problems[0].key_path, "");
  EXPECT_EQ(load.problems[0].line, 6);
  EXPECT_EQ(load.problems[0].column, 8);
}

}  // namespace
}  // namespace fc::profile
