// The signed evidence bundle: one ustar archive with a run's results.json, reports and pcaps,
// the profile as recorded (secrets redacted), the device's identity and the suite's version,
// a MANIFEST of every file's SHA-256 and MANIFEST.sig, an ECDSA signature over the MANIFEST.
// `fotacheck bundle` writes it, `fotacheck verify` checks it with a public key the customer got
// by other means: the key inside the bundle is only compared, never trusted.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace fc::reports {

inline constexpr const char* kManifestFile = "MANIFEST";            // "<sha256 hex>  <name>" a line, as sha256sum writes
inline constexpr const char* kSignatureFile = "MANIFEST.sig";       // DER ECDSA over SHA-256 of MANIFEST
inline constexpr const char* kSignerKeyFile = "signer.pub.pem";     // convenience copy of the signer's public key
inline constexpr const char* kBundleProfileFile = "profile.json";   // results.json's redacted profile
inline constexpr const char* kBundleIdentityFile = "identity.json"; // device under test and suite version

struct BundleOptions {
  std::filesystem::path run_dir;
  std::filesystem::path private_key;  // empty: an unsigned bundle (verify reports it invalid)
  std::filesystem::path out;          // empty: RUN_DIR/evidence.tar
  std::string suite_version;          // of the fotacheck that bundles
};

// What was written: the archive and its files.
struct BundleResult {
  std::filesystem::path archive;
  std::vector<std::string> files;  // every member but MANIFEST and MANIFEST.sig
  bool signed_ = false;
};

// Throws std::runtime_error naming what is wrong (no results.json in RUN_DIR, an unreadable key,
// an existing output file, which is never overwritten).
BundleResult write_bundle(const BundleOptions& options);

struct VerifyOutcome {
  std::string archive_problem;        // the archive itself is malformed (truncated, altered header)
  std::string signature_problem;      // empty when the MANIFEST's signature verifies with the key
  std::string manifest_problem;       // a MANIFEST line that is not "<hex>  <name>"
  bool embedded_key_present = false;
  bool embedded_key_matches = false;  // signer.pub.pem is the key verify was given
  std::vector<std::string> altered, missing, extra;
  std::size_t files_checked = 0;
  bool valid() const {
    return archive_problem.empty() && signature_problem.empty() && manifest_problem.empty() && altered.empty() &&
           missing.empty() && extra.empty();
  }
};

// Throws std::runtime_error when the bundle or the key cannot be read (a usage or I/O error).
VerifyOutcome verify_bundle(const std::filesystem::path& bundle, const std::filesystem::path& public_key);

// `fotacheck bundle` and `fotacheck verify`: print what happened; exit 0 written / valid,
// 1 invalid (verify: with every problem named), 2 usage or I/O error.
int run_bundle_command(const BundleOptions& options, std::ostream& out, std::ostream& err);
int run_verify_command(const std::filesystem::path& bundle, const std::filesystem::path& public_key, std::ostream& out,
                       std::ostream& err);

}  // namespace fc::reports
