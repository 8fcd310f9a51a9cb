// Profile templates: every placeholder, the escapes, shell syntax left alone, unknown names.
#include <gtest/gtest.h>

#include "adapters/client_binary.h"
#include "adapters/device_adapter.h"

namespace fc::adapters {
namespace {

StartContext sample_context() {
  StartContext context;
  context.endpoint = "dev-7";
  context.server_uri = "coap://127.0.0.1:40123";
  context.server_port = 40123;
  context.repository_host = "127.0.0.1";
  context.workdir = "/tmp/run-1/case-3";
  context.case_name = "Results.IntegrityFailure";
  return context;
}

TEST(Placeholders, ValuesOfAStartContext) {
  const auto values = placeholder_values(sample_context());
  const std::map<std::string, std::string> expected{
      {"bootstrap_psk_identity", ""},  // no bootstrap server in this run
      {"bootstrap_psk_key", ""},
      {"bootstrap_uri", ""},
      {"endpoint", "dev-7"},
      {"install_time", ""},  // the profile gives no timing.install_time
      {"server_uri", "coap://127.0.0.1:40123"},
      {"server_port", "40123"},
      {"repository_host", "127.0.0.1"},
      {"workdir", "/tmp/run-1/case-3"},
      {"case", "Results.IntegrityFailure"},
      {"profile_dir", ""},
      {"psk_identity", ""},
      {"psk_key", ""},
      {"suite_bin", suite_bin_dir().string()},
  };
  EXPECT_EQ(values, expected);
}

TEST(Placeholders, RedactSecretsReplacesEveryOccurrenceOfTheKey) {
  StartContext context = sample_context();
  EXPECT_EQ(redact_secrets("--psk-key 0a0b", context), "--psk-key 0a0b");  // no key: nothing to hide
  context.psk_key_hex = "0a0b";
  EXPECT_EQ(redact_secrets("--psk-key 0a0b x=0a0b0a0b", context), "--psk-key <redacted> x=<redacted><redacted>");
}

// docs/security.md: the identity is shown as <redacted> like the key.
TEST(Placeholders, RedactSecretsReplacesTheIdentityToo) {
  StartContext context = sample_context();
  context.psk_identity = "dev-7-identity";
  context.psk_key_hex = "edac";  // hex that also occurs in "<redacted>": replaced once, no loop
  EXPECT_EQ(redact_secrets("--psk-identity dev-7-identity --psk-key edac (identity \"dev-7-identity\")", context),
            "--psk-identity <redacted> --psk-key <redacted> (identity \"<redacted>\")");
}

TEST(Placeholders, EveryPlaceholderIsFilledIn) {
  const auto values = placeholder_values(sample_context());
  EXPECT_EQ(expand_placeholders("-e {endpoint} -u {server_uri} -p {server_port} -r {repository_host} "
                                "-d {workdir}/state -c {case}",
                                values),
            "-e dev-7 -u coap://127.0.0.1:40123 -p 40123 -r 127.0.0.1 -d /tmp/run-1/case-3/state "
            "-c Results.IntegrityFailure");
  EXPECT_EQ(expand_placeholders("{endpoint}{endpoint}", values), "dev-7dev-7");
  EXPECT_EQ(expand_placeholders("no placeholders", values), "no placeholders");
  EXPECT_EQ(expand_placeholders("", values), "");
}

TEST(Placeholders, DoubleBraceIsALiteralBrace) {
  const auto values = placeholder_values(sample_context());
  EXPECT_EQ(expand_placeholders("{{endpoint}", values), "{endpoint}");
  EXPECT_EQ(expand_placeholders("{{{endpoint}", values), "{dev-7");
  EXPECT_EQ(expand_placeholders("a{{b", values), "a{b");
}

TEST(Placeholders, ShellSyntaxIsLeftAlone) {
  const auto values = placeholder_values(sample_context());
  EXPECT_EQ(expand_placeholders("echo ${HOME} ${endpoint}", values), "echo ${HOME} ${endpoint}");
  EXPECT_EQ(expand_placeholders("{ sleep 1; echo {endpoint}; }", values), "{ sleep 1; echo dev-7; }");
  EXPECT_EQ(expand_placeholders("awk '{print $1}' {workdir}/log", values), "awk '{print $1}' /tmp/run-1/case-3/log");
  EXPECT_EQ(expand_placeholders("{Upper} {} {a1} {unclosed", values), "{Upper} {} {a1} {unclosed");
}

TEST(Placeholders, UnknownPlaceholderNamesItTheTextAndTheKnownOnes) {
  const auto values = placeholder_values(sample_context());
  try {
    expand_placeholders("--port {server_prot}", values, "adapter.process.args[2]");
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown placeholder {server_prot} in 'adapter.process.args[2]: --port {server_prot}'; known: "
              "{bootstrap_psk_identity}, {bootstrap_psk_key}, {bootstrap_uri}, {case}, {endpoint}, {install_time}, {profile_dir}, {psk_identity}, {psk_key}, {repository_host}, {server_port}, {server_uri}, "
              "{suite_bin}, {workdir}");
  }
  try {
    expand_placeholders("{run}", values);
    FAIL() << "expected AdapterError";
  } catch (const AdapterError& error) {
    EXPECT_EQ(std::string(error.what()),
              "unknown placeholder {run} in '{run}'; known: {bootstrap_psk_identity}, {bootstrap_psk_key}, {bootstrap_uri}, "
              "{case}, {endpoint}, {install_time}, {profile_dir}, {psk_identity}, {psk_key}, {repository_host}, "
              "{server_port}, {server_uri}, {suite_bin}, {workdir}");
  }
}

}  // namespace
}  // namespace fc::adapters
