#include "reports/evidence_bundle.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "reports/report_set.h"
#include "reports/results_json.h"
#include "reports/tar_archive.h"
#include "suite/common/bytes.h"

namespace fc::reports {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string mbedtls_text(int rc) {
  char buffer[200];
  mbedtls_strerror(rc, buffer, sizeof buffer);
  return fmt::format("{} (-0x{:04x})", buffer, static_cast<unsigned>(-rc));
}

struct PkKey {
  mbedtls_pk_context pk;
  PkKey() { mbedtls_pk_init(&pk); }
  ~PkKey() { mbedtls_pk_free(&pk); }
  PkKey(const PkKey&) = delete;
  PkKey& operator=(const PkKey&) = delete;
};

std::array<unsigned char, 32> sha256_of(std::string_view data) {
  std::array<unsigned char, 32> digest{};
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), 0);
  return digest;
}

std::string hex_of(const std::array<unsigned char, 32>& digest) { return to_hex(Bytes(digest.begin(), digest.end())); }

std::string read_whole(const fs::path& file, const char* what) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read the {} {}", what, file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(fmt::format("cannot read the {} {}", what, file.string()));
  return text.str();
}

void require_ecdsa(const PkKey& key, const fs::path& file, const char* what) {
  if (!mbedtls_pk_can_do(&key.pk, MBEDTLS_PK_ECDSA))
    throw std::runtime_error(fmt::format("{}: the {} is not an EC key (ECDSA P-256 is expected)", file.string(), what));
}

std::string public_key_der(mbedtls_pk_context& pk) {
  std::array<unsigned char, 512> buffer{};
  int n = mbedtls_pk_write_pubkey_der(&pk, buffer.data(), buffer.size());
  if (n < 0) throw std::runtime_error("cannot encode a public key: " + mbedtls_text(n));
  // Written at the end of the buffer.
  return std::string(reinterpret_cast<const char*>(buffer.data() + buffer.size() - static_cast<std::size_t>(n)),
                     static_cast<std::size_t>(n));
}

std::string public_key_pem(mbedtls_pk_context& pk) {
  std::array<unsigned char, 1024> buffer{};
  int rc = mbedtls_pk_write_pubkey_pem(&pk, buffer.data(), buffer.size());
  if (rc != 0) throw std::runtime_error("cannot encode a public key: " + mbedtls_text(rc));
  return std::string(reinterpret_cast<const char*>(buffer.data()));
}

// DER ECDSA signature (what `openssl dgst -sha256 -sign` writes) over SHA-256 of `data`.
std::string sign(mbedtls_pk_context& pk, std::string_view data) {
  mbedtls_entropy_context entropy;
  mbedtls_ctr_drbg_context drbg;
  mbedtls_entropy_init(&entropy);
  mbedtls_ctr_drbg_init(&drbg);
  static constexpr std::string_view kPersonalisation = "fotacheck evidence bundle";
  std::array<unsigned char, MBEDTLS_PK_SIGNATURE_MAX_SIZE> signature{};
  std::size_t length = 0;
  auto digest = sha256_of(data);
  int rc = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy,
                                 reinterpret_cast<const unsigned char*>(kPersonalisation.data()), kPersonalisation.size());
  if (rc == 0)
    rc = mbedtls_pk_sign(&pk, MBEDTLS_MD_SHA256, digest.data(), digest.size(), signature.data(), &length,
                         mbedtls_ctr_drbg_random, &drbg);
  mbedtls_ctr_drbg_free(&drbg);
  mbedtls_entropy_free(&entropy);
  if (rc != 0) throw std::runtime_error("signing the MANIFEST failed: " + mbedtls_text(rc));
  return std::string(reinterpret_cast<const char*>(signature.data()), length);
}

// The files of a run folder that go into a bundle, in a fixed order.
std::vector<std::string> run_files(const fs::path& dir) {
  std::vector<std::string> names;
  for (const char* name : {kResultsFile, kJunitFile, kHtmlFile, kMarkdownFile}) {
    std::error_code ec;
    if (fs::is_regular_file(fs::symlink_status(dir / name, ec))) names.emplace_back(name);
  }
  std::error_code ec;
  std::vector<std::string> pcaps;
  for (fs::directory_iterator it(dir / kPcapFolder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && !it->is_symlink()) pcaps.push_back(std::string(kPcapFolder) + "/" + it->path().filename().string());
  std::sort(pcaps.begin(), pcaps.end());
  names.insert(names.end(), pcaps.begin(), pcaps.end());
  return names;
}

// The device under test and the suite, from results.json's run info.
json identity_of(const json& results, const std::string& suite_version) {
  const json& run = results.at("run");
  return json{{"device", run.value("device", json::object())},
              {"suite", {{"tool", run.value("tool", "fotacheck")}, {"version", run.value("version", "")},
                         {"bundled_by_version", suite_version}}},
              {"profile", {{"path", run.value("profile_path", "")}, {"hash", run.value("profile_hash", "")},
                           {"file_sha256", run.value("profile_file_sha256", "")}}},
              {"results", {{"format_version", results.value("format_version", 0)},
                           {"complete", results.value("complete", false)},
                           {"conclusion", results.value("conclusion", "")},
                           {"counts", results.value("counts", json::object())}}}};
}

// "<hex>  <name>" lines; sets `problem` for a line that is not one.
std::map<std::string, std::string> parse_manifest(const std::string& text, std::string& problem) {
  std::map<std::string, std::string> hashes;
  std::istringstream in(text);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    bool hex = line.size() > 66 && line.compare(64, 2, "  ") == 0 &&
               std::all_of(line.begin(), line.begin() + 64, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
    if (!hex) {
      problem = fmt::format("MANIFEST line {} is not \"<sha256>  <file>\": \"{}\"", number, line.substr(0, 120));
      return hashes;
    }
    hashes[line.substr(66)] = line.substr(0, 64);
  }
  return hashes;
}

}  // namespace

BundleResult write_bundle(const BundleOptions& options) {
  const auto& dir = options.run_dir;
  auto results_file = dir / kResultsFile;
  std::error_code ec;
  if (!fs::is_regular_file(results_file, ec))
    throw std::runtime_error(fmt::format("{} is not a run folder: it has no {}", dir.string(), kResultsFile));
  read_results(results_file);  // a clear error for a file that is not fotacheck's results
  auto results_text = read_whole(results_file, "results file");
  json results = json::parse(results_text);

  BundleResult result;
  result.archive = options.out.empty() ? dir / "evidence.tar" : options.out;
  if (fs::exists(fs::symlink_status(result.archive, ec)))
    throw std::runtime_error(fmt::format("{} exists; fotacheck does not overwrite it: remove it or give --out", result.archive.string()));

  std::vector<TarMember> members;
  for (const auto& name : run_files(dir)) members.push_back(TarMember{name, read_whole(dir / name, "run file")});
  // The profile as results.json recorded it (secrets already redacted); never the raw YAML.
  members.push_back(TarMember{kBundleProfileFile, results.at("run").value("profile", json::object()).dump(2) + "\n"});
  members.push_back(TarMember{kBundleIdentityFile, identity_of(results, options.suite_version).dump(2) + "\n"});

  PkKey key;
  if (!options.private_key.empty()) {
    int rc = mbedtls_pk_parse_keyfile(&key.pk, options.private_key.c_str(), nullptr);
    if (rc != 0)
      throw std::runtime_error(fmt::format("{}: not a usable PEM private key (an encrypted key is not supported): {}",
                                           options.private_key.string(), mbedtls_text(rc)));
    require_ecdsa(key, options.private_key, "private key");
    members.push_back(TarMember{kSignerKeyFile, public_key_pem(key.pk)});
  }
  std::string manifest;
  for (const auto& m : members) {
    manifest += hex_of(sha256_of(m.data)) + "  " + m.name + "\n";
    result.files.push_back(m.name);
  }
  members.push_back(TarMember{kManifestFile, manifest});
  if (!options.private_key.empty()) {
    members.push_back(TarMember{kSignatureFile, sign(key.pk, manifest)});
    result.signed_ = true;
  }
  write_file(result.archive, write_tar(members, results.value("ended_unix_ms", std::int64_t{0}) / 1000));
  return result;
}

VerifyOutcome verify_bundle(const fs::path& bundle, const fs::path& public_key) {
  PkKey key;
  int rc = mbedtls_pk_parse_public_keyfile(&key.pk, public_key.c_str());
  if (rc != 0)
    throw std::runtime_error(fmt::format("{}: not a usable PEM public key: {}", public_key.string(), mbedtls_text(rc)));
  require_ecdsa(key, public_key, "public key");
  auto archive = read_whole(bundle, "bundle");

  VerifyOutcome outcome;
  std::vector<TarMember> members;
  try {
    members = read_tar(archive);
  } catch (const TarFormatError& e) {
    outcome.archive_problem = e.what();
    return outcome;
  }
  std::map<std::string, const std::string*> by_name;
  for (const auto& m : members) by_name[m.name] = &m.data;
  auto member = [&](const char* name) { auto it = by_name.find(name); return it == by_name.end() ? nullptr : it->second; };

  const std::string* manifest = member(kManifestFile);
  const std::string* signature = member(kSignatureFile);
  if (!manifest) {
    outcome.missing.push_back(kManifestFile);
    outcome.signature_problem = "the bundle has no MANIFEST";
  } else if (!signature) {
    outcome.missing.push_back(kSignatureFile);
    outcome.signature_problem = "the bundle is not signed (no MANIFEST.sig)";
  } else {
    auto digest = sha256_of(*manifest);
    rc = mbedtls_pk_verify(&key.pk, MBEDTLS_MD_SHA256, digest.data(), digest.size(),
                           reinterpret_cast<const unsigned char*>(signature->data()), signature->size());
    if (rc != 0)
      outcome.signature_problem = fmt::format(
          "MANIFEST.sig does not verify with {}: the MANIFEST or its signature was altered, or another key signed it ({})",
          public_key.string(), mbedtls_text(rc));
  }
  if (const std::string* embedded = member(kSignerKeyFile)) {
    outcome.embedded_key_present = true;
    PkKey other;
    std::string pem = *embedded;
    if (mbedtls_pk_parse_public_key(&other.pk, reinterpret_cast<const unsigned char*>(pem.c_str()), pem.size() + 1) == 0)
      outcome.embedded_key_matches = public_key_der(other.pk) == public_key_der(key.pk);
  }
  if (!manifest) return outcome;

  auto listed = parse_manifest(*manifest, outcome.manifest_problem);
  for (const auto& [name, hash] : listed) {
    auto it = by_name.find(name);
    if (it == by_name.end()) outcome.missing.push_back(name);
    else if (hex_of(sha256_of(*it->second)) != hash) outcome.altered.push_back(name);
    else ++outcome.files_checked;
  }
  for (const auto& m : members)
    if (m.name != kManifestFile && m.name != kSignatureFile && !listed.contains(m.name)) outcome.extra.push_back(m.name);
  return outcome;
}

int run_bundle_command(const BundleOptions& options, std::ostream& out, std::ostream& err) {
  try {
    auto result = write_bundle(options);
    out << "bundled " << result.files.size() << " files from " << options.run_dir.string() << " into "
        << result.archive.string() << (result.signed_ ? ", MANIFEST signed with " + options.private_key.string() : "") << "\n";
    if (!result.signed_)
      err << "fotacheck bundle: no --key given: the bundle is NOT signed and `fotacheck verify` will call it invalid\n";
    return 0;
  } catch (const std::exception& e) {
    err << "fotacheck bundle: " << e.what() << "\n";
    return 2;
  }
}

int run_verify_command(const fs::path& bundle, const fs::path& public_key, std::ostream& out, std::ostream& err) {
  VerifyOutcome v;
  try {
    v = verify_bundle(bundle, public_key);
  } catch (const std::exception& e) {
    err << "fotacheck verify: " << e.what() << "\n";
    return 2;
  }
  auto name = bundle.string();
  if (!v.archive_problem.empty()) {
    out << name << ": INVALID: " << v.archive_problem << "\n";
    return 1;
  }
  out << name << ": signature: " << (v.signature_problem.empty() ? "valid, signed by " + public_key.string() : v.signature_problem)
      << "\n";
  if (v.embedded_key_present)
    out << name << ": the bundle's own " << kSignerKeyFile << " "
        << (v.embedded_key_matches ? "is the same key (for information only: the verdict uses the key given)"
                                   : "is NOT the key given (it is ignored: the verdict uses the key given)")
        << "\n";
  if (!v.manifest_problem.empty()) out << name << ": " << v.manifest_problem << "\n";
  for (const auto& f : v.altered) out << name << ": altered: " << f << " (its SHA-256 differs from the MANIFEST)\n";
  for (const auto& f : v.missing) out << name << ": missing: " << f << "\n";
  for (const auto& f : v.extra) out << name << ": extra: " << f << " (not in the MANIFEST)\n";
  if (v.valid()) {
    out << name << ": VALID: " << v.files_checked << " files match the signed MANIFEST\n";
    return 0;
  }
  out << name << ": INVALID: " << v.altered.size() << " altered, " << v.missing.size() << " missing, " << v.extra.size()
      << " extra" << (v.signature_problem.empty() ? "" : ", signature not valid") << "\n";
  return 1;
}

}  // namespace fc::reports
