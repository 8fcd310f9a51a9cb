// Each target feeds the input to one parser and checks what must hold for every input: only
// the parser's own error type escapes, error offsets lie inside the input, and what decodes
// encodes back to the same bytes on a second trip.
#include "tests/fuzz/fuzz_targets.h"

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <optional>

#include "suite/lwm2m/codec.h"
#include "suite/lwm2m/link_format.h"
#include "suite/lwm2m/registration_params.h"
#include "suite/package/reference_package.h"
#include "suite/profile/loader.h"

namespace fc::fuzz {
namespace {

using lwm2m::CodecError;
using lwm2m::ContentFormat;
using lwm2m::Path;

// Requests a client may be answering: the root, an object, an instance, a resource and a
// resource instance of /5.
const std::array<Path, 5> kBases = {Path{}, Path{5}, Path{5, 0}, Path{5, 0, 3}, Path{5, 0, 8, 1}};

std::string_view as_text(ByteView input) {
  return {reinterpret_cast<const char*>(input.data()), input.size()};
}

void check_offset(const CodecError& error, ContentFormat format, std::size_t size) {
  if (error.format() != format) {
    throw Finding("error blames " + lwm2m::to_string(error.format()) + ": " + error.what());
  }
  if (error.offset() > size) {
    throw Finding("error offset past the " + std::to_string(size) + "-byte input: " + error.what());
  }
}

// Decodes at every base; whatever decodes must encode, decode and encode again to the same
// bytes (the first encoding may legitimately fail, e.g. a NaN has no JSON form).
void fuzz_codec(ContentFormat format, ByteView input) {
  for (const auto& base : kBases) {
    lwm2m::Records records;
    try {
      records = lwm2m::decode(format, base, input);
    } catch (const CodecError& error) {
      check_offset(error, format, input.size());
      continue;
    }
    Bytes once;
    try {
      once = lwm2m::encode(format, base, records);
    } catch (const CodecError& error) {
      check_offset(error, format, input.size());
      continue;
    }
    try {
      const auto twice = lwm2m::encode(format, base, lwm2m::decode(format, base, once));
      if (twice != once) {
        throw Finding("re-encoding at " + base.str() + " changed " + to_hex(once) + " into " +
                      to_hex(twice));
      }
    } catch (const CodecError& error) {
      throw Finding("own encoding at " + base.str() + " (" + to_hex(once) +
                    ") does not decode: " + error.what());
    }
  }
}

void fuzz_link_format(ByteView input) {
  std::vector<lwm2m::Link> links;
  try {
    links = lwm2m::parse_link_format(as_text(input));
  } catch (const CodecError& error) {
    check_offset(error, ContentFormat::LinkFormat, input.size());
    return;
  }
  const auto written = lwm2m::write_link_format(links);
  try {
    if (lwm2m::parse_link_format(written) != links) {
      throw Finding("writing and re-reading changed the links: " + written);
    }
  } catch (const CodecError& error) {
    throw Finding("written link format does not parse: " + written + ": " + error.what());
  }
}

void fuzz_registered_objects(ByteView input) {
  try {
    const auto objects = lwm2m::parse_registered_objects(as_text(input));
    for (const auto& object : objects.objects) {
      if (!object.path.is_object() && !object.path.is_instance()) {
        throw Finding("registered " + object.path.str() + ", not an object or instance");
      }
    }
  } catch (const CodecError& error) {
    check_offset(error, ContentFormat::LinkFormat, input.size());
  }
}

// The input is the Uri-Query options, one per line (CoAP options may hold '&').
void fuzz_registration_params(ByteView input) {
  std::vector<std::string> queries;
  std::string current;
  for (const auto byte : input) {
    if (byte == '\n') {
      queries.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(static_cast<char>(byte));
    }
  }
  queries.push_back(std::move(current));
  try {
    const auto params = lwm2m::parse_registration_params(queries);
    if (params.endpoint && params.endpoint->empty()) throw Finding("accepted an empty ep");
    if (params.lifetime && *params.lifetime == 0) throw Finding("accepted lt=0");
  } catch (const lwm2m::RegistrationParamError&) {
  }
}

const package::VerifyKey& package_key() {
  static const auto key = package::VerifyKey::load_pem_file(
      std::filesystem::path(FOTACHECK_SOURCE_DIR) / "fixtures/keys/package-signing.pub.pem");
  return key;
}

// The first byte sets the chunk size (1..256), as blocks of any size may arrive.
void fuzz_package_verifier(ByteView input) {
  if (input.empty()) return;
  const std::size_t chunk = std::size_t{input[0]} + 1;
  const auto package = input.subspan(1);
  package::StreamVerifier verifier(package_key());
  for (std::size_t pos = 0; pos < package.size(); pos += chunk) {
    verifier.update(package.subspan(pos, std::min(chunk, package.size() - pos)));
    if (verifier.early_verdict() == package::Verdict::Valid) {
      throw Finding("judged valid before the signature arrived");
    }
  }
  if (verifier.bytes_seen() != package.size()) {
    throw Finding("saw " + std::to_string(verifier.bytes_seen()) + " of " +
                  std::to_string(package.size()) + " bytes");
  }
  const auto verification = verifier.finish();
  if (verification.verdict == package::Verdict::Valid &&
      (!verification.header || verification.header->package_size() != package.size())) {
    throw Finding("valid verdict for a package whose header does not match its length");
  }
}

// load_profile promises to turn every problem into a ProfileProblem: nothing may escape.
struct ScratchFile {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("fotacheck-fuzz-profile-" + std::to_string(::getpid()) + ".yaml");
  ~ScratchFile() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

void fuzz_profile_loader(ByteView input) {
  static const ScratchFile scratch;
  const auto& file = scratch.path;
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(input.data()),
              static_cast<std::streamsize>(input.size()));
  }
  const auto load = profile::load_profile(file);
  if (load.ok() != load.problems.empty()) {
    throw Finding("a profile was loaded together with problems, or neither");
  }
}

constexpr std::array<FuzzTarget, 11> kTargets{{
    {"tlv", [](ByteView in) { fuzz_codec(ContentFormat::Tlv, in); }},
    {"text", [](ByteView in) { fuzz_codec(ContentFormat::Text, in); }},
    {"senml-json", [](ByteView in) { fuzz_codec(ContentFormat::SenmlJson, in); }},
    {"senml-cbor", [](ByteView in) { fuzz_codec(ContentFormat::SenmlCbor, in); }},
    {"lwm2m-json", [](ByteView in) { fuzz_codec(ContentFormat::LwM2mJson, in); }},
    {"lwm2m-cbor", [](ByteView in) { fuzz_codec(ContentFormat::LwM2mCbor, in); }},
    {"link-format", fuzz_link_format},
    {"registered-objects", fuzz_registered_objects},
    {"registration-params", fuzz_registration_params},
    {"package-verifier", fuzz_package_verifier},
    {"profile-loader", fuzz_profile_loader},
}};

}  // namespace

std::span<const FuzzTarget> fuzz_targets() { return kTargets; }

const FuzzTarget* find_fuzz_target(std::string_view name) {
  for (const auto& target : kTargets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

}  // namespace fc::fuzz
