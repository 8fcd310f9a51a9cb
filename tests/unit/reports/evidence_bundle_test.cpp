// The evidence bundle: a real ustar archive (GNU tar lists and extracts it), a MANIFEST signed
// so that openssl verifies it too, and `verify` naming every altered, missing or extra file, a
// wrong key and a cut archive.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "reports/evidence_bundle.h"
#include "reports/report_set.h"
#include "reports/results_json.h"
#include "reports/tar_archive.h"
#include "tests/unit/reports/sample_run.h"

namespace fc::reports {
namespace {

using namespace fc::reports::testing;
namespace fs = std::filesystem;

const fs::path kKeys = fs::path(FOTACHECK_SOURCE_DIR) / "fixtures/keys";
const fs::path kPrivate = kKeys / "package-signing.key.pem";
const fs::path kPublic = kKeys / "package-signing.pub.pem";
const fs::path kOtherPublic = kKeys / "other-signing.pub.pem";

// A run folder as the runner leaves it, bundled and signed.
struct BundledRun {
  TempDir dir;
  fs::path run = dir / "run";
  fs::path bundle = dir / "evidence.tar";
  BundledRun() {
    fs::create_directories(run);
    auto record = sample_run();
    record.run.device.name = "Acme T1 rev B";
    record.run.device.binary = "/opt/dut/bin/client";
    record.run.device.binary_sha256 = "sha256:abcd";
    write_file(run / kResultsFile, results_document(record));
    write_derived_reports(record, run);
    write_file(run / "device.yaml", "psk: 00112233\n");  // a raw profile: never bundled
    BundleOptions options{run, kPrivate, bundle, "9.9.9"};
    write_bundle(options);
  }
  std::string bytes() const { return read_file(bundle); }
};

void write_bytes(const fs::path& file, const std::string& bytes) { write_file(file, bytes); }

TEST(TarArchive, RoundTripsNamesOverAHundredBytes) {
  std::string long_name = std::string(120, 'd') + "/" + std::string(90, 'f') + ".pcap";
  std::vector<TarMember> members{{"a.txt", "hello"}, {long_name, std::string(1000, 'x')}, {"empty", ""}};
  auto read = read_tar(write_tar(members, 1714564800));
  ASSERT_EQ(read.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(read[i].name, members[i].name);
    EXPECT_EQ(read[i].data, members[i].data);
  }
  EXPECT_THROW(write_tar({{"../escape", ""}}, 0), std::invalid_argument);
  EXPECT_THROW(write_tar({{std::string(101, 'n'), ""}}, 0), std::invalid_argument);
}

TEST(EvidenceBundle, HoldsTheRunTheProfileAsRecordedAndTheIdentity) {
  BundledRun b;
  std::vector<std::string> names;
  std::string identity, profile;
  for (const auto& m : read_tar(b.bytes())) {
    names.push_back(m.name);
    if (m.name == kBundleIdentityFile) identity = m.data;
    if (m.name == kBundleProfileFile) profile = m.data;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"results.json", "junit.xml", "report.html", "summary.md", "pcap/FU-OBJ-751.pcapng",
                                             "pcap/FU-PULL-001.pcapng", "profile.json", "identity.json", "signer.pub.pem",
                                             "MANIFEST", "MANIFEST.sig"}));
  auto id = nlohmann::json::parse(identity);
  EXPECT_EQ(id["device"]["name"], "Acme T1 rev B");
  EXPECT_EQ(id["device"]["binary_sha256"], "sha256:abcd");
  EXPECT_EQ(id["suite"]["version"], "0.1.0");
  EXPECT_EQ(id["suite"]["bundled_by_version"], "9.9.9");
  EXPECT_EQ(nlohmann::json::parse(profile)["device"]["endpoint"], "dut-1");
}

TEST(EvidenceBundle, RoundTripsThroughVerify) {
  BundledRun b;
  std::ostringstream out, err;
  EXPECT_EQ(run_verify_command(b.bundle, kPublic, out, err), 0) << out.str() << err.str();
  EXPECT_NE(out.str().find("VALID: 9 files match the signed MANIFEST"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("signer.pub.pem is the same key"), std::string::npos) << out.str();
}

// Independent tools agree: GNU tar extracts it, sha256sum checks the MANIFEST, openssl the signature.
TEST(EvidenceBundle, TarSha256sumAndOpensslAgree) {
  BundledRun b;
  auto x = b.dir / "x";
  fs::create_directories(x);
  auto result = run_command("tar -xf " + b.bundle.string() + " -C " + x.string() + " && cd " + x.string() +
                            " && sha256sum --strict -c MANIFEST && openssl dgst -sha256 -verify " + kPublic.string() +
                            " -signature MANIFEST.sig MANIFEST");
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("Verified OK"), std::string::npos) << result.output;
}

// One byte flipped in every 512-byte block of the archive (headers, contents, padding, end
// blocks): never valid, and a flip inside a file names that file.
TEST(EvidenceBundle, AFlippedByteAnywhereIsDetectedAndNamed) {
  BundledRun b;
  const auto original = b.bytes();
  auto members = read_tar(original);
  std::size_t checked = 0;
  for (std::size_t at = 0; at < original.size(); at += 509) {
    auto bytes = original;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x20);
    write_bytes(b.bundle, bytes);
    auto outcome = verify_bundle(b.bundle, kPublic);
    EXPECT_FALSE(outcome.valid()) << "byte " << at << " flipped went unnoticed";
    ++checked;
  }
  EXPECT_GT(checked, 20u);
  // Inside each member's contents: that member is named.
  std::size_t offset = 0;
  for (const auto& m : members) {
    offset += 512;
    if (!m.data.empty()) {
      auto bytes = original;
      bytes[offset + m.data.size() / 2] = static_cast<char>(bytes[offset + m.data.size() / 2] ^ 0x01);
      write_bytes(b.bundle, bytes);
      auto outcome = verify_bundle(b.bundle, kPublic);
      EXPECT_FALSE(outcome.valid()) << m.name;
      if (m.name == kManifestFile || m.name == kSignatureFile) {
        EXPECT_NE(outcome.signature_problem.find("MANIFEST.sig does not verify"), std::string::npos) << m.name;
      } else {
        EXPECT_EQ(outcome.altered, std::vector<std::string>{m.name});
        EXPECT_TRUE(outcome.signature_problem.empty()) << m.name;
      }
    }
    offset += (m.data.size() + 511) / 512 * 512;
  }
  write_bytes(b.bundle, original);
  std::ostringstream out, err;
  auto bytes = original;
  bytes[512 + 10] = static_cast<char>(bytes[512 + 10] ^ 0x01);  // inside results.json
  write_bytes(b.bundle, bytes);
  EXPECT_EQ(run_verify_command(b.bundle, kPublic, out, err), 1);
  EXPECT_NE(out.str().find("altered: results.json"), std::string::npos) << out.str();
}

TEST(EvidenceBundle, AWrongKeyIsRejected) {
  BundledRun b;
  std::ostringstream out, err;
  EXPECT_EQ(run_verify_command(b.bundle, kOtherPublic, out, err), 1) << out.str();
  EXPECT_NE(out.str().find("MANIFEST.sig does not verify with " + kOtherPublic.string()), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("is NOT the key given"), std::string::npos) << out.str();
}

TEST(EvidenceBundle, ATruncatedArchiveIsAClearError) {
  BundledRun b;
  auto bytes = b.bytes();
  for (std::size_t keep : {bytes.size() - 1024, bytes.size() / 2, std::size_t{100}}) {
    write_bytes(b.bundle, bytes.substr(0, keep));
    std::ostringstream out, err;
    EXPECT_EQ(run_verify_command(b.bundle, kPublic, out, err), 1);
    EXPECT_NE(out.str().find("INVALID: truncated archive"), std::string::npos) << keep << ": " << out.str();
  }
}

TEST(EvidenceBundle, MissingAndExtraFilesAreNamed) {
  BundledRun b;
  auto members = read_tar(b.bytes());
  std::vector<TarMember> changed;
  for (auto& m : members)
    if (m.name != "junit.xml") changed.push_back(m);
  changed.push_back(TarMember{"pcap/added.pcap", "x"});
  write_bytes(b.bundle, write_tar(changed, 0));
  auto outcome = verify_bundle(b.bundle, kPublic);
  EXPECT_TRUE(outcome.signature_problem.empty());
  EXPECT_EQ(outcome.missing, std::vector<std::string>{"junit.xml"});
  EXPECT_EQ(outcome.extra, std::vector<std::string>{"pcap/added.pcap"});
  EXPECT_FALSE(outcome.valid());
}

TEST(EvidenceBundle, UsageAndInputErrorsAreExitTwo) {
  BundledRun b;
  std::ostringstream out, err;
  EXPECT_EQ(run_verify_command(b.dir / "none.tar", kPublic, out, err), 2);
  EXPECT_EQ(run_verify_command(b.bundle, b.dir / "none.pem", out, err), 2);
  EXPECT_EQ(run_verify_command(b.bundle, kPrivate, out, err), 2) << "a private key file is not a public key";
  // Never overwrites: the archive exists.
  EXPECT_EQ(run_bundle_command(BundleOptions{b.run, kPrivate, b.bundle, "1"}, out, err), 2);
  EXPECT_NE(err.str().find("exists; fotacheck does not overwrite it"), std::string::npos) << err.str();
  EXPECT_EQ(run_bundle_command(BundleOptions{b.dir.path(), kPrivate, b.dir / "other.tar", "1"}, out, err), 2);
  EXPECT_NE(err.str().find("is not a run folder: it has no results.json"), std::string::npos) << err.str();
}

TEST(EvidenceBundle, AnUnsignedBundleIsNotValid) {
  BundledRun b;
  auto unsigned_bundle = b.dir / "unsigned.tar";
  std::ostringstream out, err;
  ASSERT_EQ(run_bundle_command(BundleOptions{b.run, {}, unsigned_bundle, "1"}, out, err), 0) << err.str();
  EXPECT_NE(err.str().find("NOT signed"), std::string::npos);
  std::ostringstream vout, verr;
  EXPECT_EQ(run_verify_command(unsigned_bundle, kPublic, vout, verr), 1);
  EXPECT_NE(vout.str().find("not signed (no MANIFEST.sig)"), std::string::npos) << vout.str();
}

}  // namespace
}  // namespace fc::reports
