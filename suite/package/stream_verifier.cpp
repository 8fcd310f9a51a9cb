// StreamVerifier and verify_file: judging a reference package as its bytes arrive.
//
// Verdict policy (docs/reference-package-format.md): only a wrong magic or an unknown format
// version makes a package of an unsupported type (Update Result 6). Every other defect, a bad
// version length, reserved flag bits, truncation, extra bytes, a signature that does not
// verify, is an integrity failure (Update Result 5).
#include <mbedtls/sha256.h>

#include <fstream>
#include <stdexcept>

#include "suite/package/mbedtls_error.h"
#include "suite/package/reference_package.h"

namespace fc::package {

namespace {

constexpr std::size_t kFixedHeaderSize = 13;
constexpr std::size_t kMagicEnd = 4;
constexpr std::size_t kFormatVersionEnd = 6;
constexpr std::size_t kFlagsEnd = 8;
constexpr std::uint16_t kKnownFlags = kFlagFailFirstBoot;

std::uint16_t get_u16(const Bytes& bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

std::uint32_t get_u32(const Bytes& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

std::string hex16(std::uint16_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text = "0x";
  for (int shift = 12; shift >= 0; shift -= 4) {
    text.push_back(kDigits[(value >> shift) & 0xF]);
  }
  return text;
}

// Offset of the first byte that breaks UTF-8 well-formedness, or nullopt when it is valid.
std::optional<std::size_t> invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = 0;
    std::uint32_t min_code = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
      ++i;
      continue;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2, min_code = 0x80, code = lead & 0x1Fu;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3, min_code = 0x800, code = lead & 0x0Fu;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4, min_code = 0x10000, code = lead & 0x07u;
    } else {
      return i;
    }
    if (i + length > text.size()) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      code = (code << 6) | (next & 0x3Fu);
    }
    if (code < min_code || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return i;
    i += length;
  }
  return std::nullopt;
}

}  // namespace

struct StreamVerifier::Impl {
  enum class Stage { Header, Image, Signature, Trailing, Rejected, Finished };

  explicit Impl(const VerifyKey& verify_key) : key(verify_key) {
    mbedtls_sha256_init(&sha);
    const int rc = mbedtls_sha256_starts_ret(&sha, 0);
    if (rc != 0) {
      throw std::runtime_error("SHA-256 start failed: " + detail::mbedtls_message(rc));
    }
  }
  ~Impl() { mbedtls_sha256_free(&sha); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  const VerifyKey& key;
  mbedtls_sha256_context sha;
  Stage stage = Stage::Header;
  Bytes header_bytes;
  std::optional<Header> header;
  std::optional<Verdict> early;
  Verdict rejected_verdict = Verdict::IntegrityFailure;
  std::string rejected_reason;
  std::uint64_t image_remaining = 0;
  Bytes signature;
  std::uint64_t trailing = 0;
  std::size_t seen = 0;
  std::optional<Verification> result;

  void hash(ByteView bytes) {
    const int rc = mbedtls_sha256_update_ret(&sha, bytes.data(), bytes.size());
    if (rc != 0) {
      throw std::runtime_error("SHA-256 update failed: " + detail::mbedtls_message(rc));
    }
  }

  void reject(Verdict verdict, std::string reason) {
    stage = Stage::Rejected;
    rejected_verdict = verdict;
    rejected_reason = std::move(reason);
    if (verdict == Verdict::UnsupportedType) {
      early = verdict;
    }
  }

  std::size_t header_bytes_needed() const {
    return header_bytes.size() < kFixedHeaderSize ? kFixedHeaderSize
                                                  : kFixedHeaderSize + header_bytes[12];
  }

  // Judges whatever header fields are complete; may reject or complete the header.
  void judge_header() {
    const std::size_t have = header_bytes.size();
    // The magic is compared byte by byte so a foreign file is recognised from its first byte.
    for (std::size_t i = 0; i < std::min(have, kMagicEnd); ++i) {
      if (header_bytes[i] != kMagic[i]) {
        reject(Verdict::UnsupportedType, "wrong magic: byte " + std::to_string(i) + " is " +
                                             printable(ByteView(header_bytes).subspan(i, 1)) +
                                             ", expected \"FCPK\"");
        return;
      }
    }
    if (have >= kFormatVersionEnd && get_u16(header_bytes, 4) != kFormatVersion) {
      reject(Verdict::UnsupportedType,
             "unsupported format version " + std::to_string(get_u16(header_bytes, 4)) +
                 " at offset 4, expected " + std::to_string(kFormatVersion));
      return;
    }
    if (have >= kFlagsEnd) {
      const std::uint16_t flags = get_u16(header_bytes, 6);
      if ((flags & ~kKnownFlags) != 0) {
        reject(Verdict::IntegrityFailure, "reserved flag bits set at offset 6: flags " +
                                              hex16(flags) + ", known " + hex16(kKnownFlags));
        return;
      }
    }
    if (have >= kFixedHeaderSize) {
      const std::size_t length = header_bytes[12];
      if (length == 0 || length > kMaxVersionLength) {
        reject(Verdict::IntegrityFailure, "version string length " + std::to_string(length) +
                                              " at offset 12 is outside 1.." +
                                              std::to_string(kMaxVersionLength));
        return;
      }
    }
    if (have >= kFixedHeaderSize && have == header_bytes_needed()) {
      std::string version(header_bytes.begin() + kFixedHeaderSize, header_bytes.end());
      if (const auto bad = invalid_utf8_at(version)) {
        reject(Verdict::IntegrityFailure, "version string is not UTF-8: bad byte at offset " +
                                              std::to_string(kFixedHeaderSize + *bad));
        return;
      }
      Header parsed;
      parsed.format_version = get_u16(header_bytes, 4);
      parsed.flags = get_u16(header_bytes, 6);
      parsed.image_size = get_u32(header_bytes, 8);
      parsed.version = std::move(version);
      header = std::move(parsed);
      hash(header_bytes);
      image_remaining = header->image_size;
      stage = image_remaining > 0 ? Stage::Image : Stage::Signature;
    }
  }

  void update(ByteView chunk) {
    seen += chunk.size();
    while (!chunk.empty()) {
      switch (stage) {
        case Stage::Header: {
          // Fields are judged one byte at a time so an early verdict never waits for a block.
          header_bytes.push_back(chunk.front());
          chunk = chunk.subspan(1);
          judge_header();
          break;
        }
        case Stage::Image: {
          const auto take =
              static_cast<std::size_t>(std::min<std::uint64_t>(image_remaining, chunk.size()));
          hash(chunk.first(take));
          image_remaining -= take;
          chunk = chunk.subspan(take);
          if (image_remaining == 0) stage = Stage::Signature;
          break;
        }
        case Stage::Signature: {
          const std::size_t take = std::min(kSignatureSize - signature.size(), chunk.size());
          signature.insert(signature.end(), chunk.begin(), chunk.begin() + take);
          chunk = chunk.subspan(take);
          if (signature.size() == kSignatureSize) stage = Stage::Trailing;
          break;
        }
        case Stage::Trailing:
          trailing += chunk.size();
          chunk = {};
          break;
        case Stage::Rejected:
          chunk = {};
          break;
        case Stage::Finished:
          throw std::logic_error("StreamVerifier::update called after finish()");
      }
    }
  }

  std::string size_note() const {
    return "package is " + std::to_string(seen) + " bytes, header declares image size " +
           std::to_string(header->image_size) + " so a package of " +
           std::to_string(header->package_size()) + " bytes";
  }

  Verification conclude() {
    Verification out;
    out.header = header;
    out.verdict = Verdict::IntegrityFailure;
    switch (stage) {
      case Stage::Rejected:
        out.verdict = rejected_verdict;
        out.reason = rejected_reason;
        return out;
      case Stage::Header:
        out.reason = seen == 0 ? "empty package"
                               : "truncated: package ends after " + std::to_string(seen) +
                                     " bytes, inside the " + std::to_string(header_bytes_needed()) +
                                     "-byte header";
        return out;
      case Stage::Image:
        out.reason = "truncated: image ends after " +
                     std::to_string(header->image_size - image_remaining) + " of " +
                     std::to_string(header->image_size) + " bytes (" + size_note() + ")";
        return out;
      case Stage::Signature:
        out.reason = "truncated: signature has " + std::to_string(signature.size()) + " of " +
                     std::to_string(kSignatureSize) + " bytes (" + size_note() + ")";
        return out;
      case Stage::Trailing:
      case Stage::Finished:
        break;
    }
    if (trailing > 0) {
      out.reason = std::to_string(trailing) + (trailing == 1 ? " extra byte" : " extra bytes") +
                   " after the signature (" + size_note() + ")";
      return out;
    }
    std::array<std::uint8_t, 32> digest{};
    const int rc = mbedtls_sha256_finish_ret(&sha, digest.data());
    if (rc != 0) {
      throw std::runtime_error("SHA-256 finish failed: " + detail::mbedtls_message(rc));
    }
    if (!key.verify_digest(digest, signature)) {
      out.reason = "signature does not verify with the trusted key";
      return out;
    }
    out.verdict = Verdict::Valid;
    out.reason = "valid";
    return out;
  }
};

StreamVerifier::StreamVerifier(const VerifyKey& key) : impl_(std::make_unique<Impl>(key)) {}
StreamVerifier::~StreamVerifier() = default;

void StreamVerifier::update(ByteView chunk) {
  if (impl_->result) {
    throw std::logic_error("StreamVerifier::update called after finish()");
  }
  impl_->update(chunk);
}

const std::optional<Header>& StreamVerifier::header() const { return impl_->header; }

std::optional<Verdict> StreamVerifier::early_verdict() const { return impl_->early; }

std::size_t StreamVerifier::bytes_seen() const { return impl_->seen; }

Verification StreamVerifier::finish() {
  if (!impl_->result) {
    impl_->result = impl_->conclude();
    impl_->stage = Impl::Stage::Finished;
  }
  return *impl_->result;
}

Verification verify_file(const std::filesystem::path& file, const VerifyKey& key) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot open package file " + file.string());
  }
  StreamVerifier verifier(key);
  std::array<char, 16384> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) {
      verifier.update(ByteView(reinterpret_cast<const std::uint8_t*>(buffer.data()), got));
    }
  }
  if (in.bad()) {
    throw std::runtime_error("cannot read package file " + file.string() + " after " +
                             std::to_string(verifier.bytes_seen()) + " bytes");
  }
  return verifier.finish();
}

}  // namespace fc::package
