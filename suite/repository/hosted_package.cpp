#include "suite/repository/hosted_package.h"

#include <mbedtls/sha256.h>

#include <stdexcept>

namespace fc::repository {

Bytes content_etag(ByteView content) {
  std::uint8_t digest[32];
  if (mbedtls_sha256_ret(content.data(), content.size(), digest, 0) != 0)
    throw std::runtime_error("SHA-256 of a package failed (mbedtls_sha256_ret)");
  return Bytes(digest, digest + 8);
}

Bytes changed_etag(const Bytes& etag) {
  Bytes out = etag;
  for (auto& b : out) b = static_cast<std::uint8_t>(~b);
  return out;
}

HostedPackage::HostedPackage(std::string path, std::vector<std::string> query, Bytes content,
                             std::vector<Impairment> impairments)
    : path_(std::move(path)),
      query_(std::move(query)),
      content_(std::move(content)),
      etag_(content_etag(content_)),
      impairments_(std::move(impairments)) {}

std::string HostedPackage::query_string() const {
  std::string out;
  for (const auto& q : query_) out += (out.empty() ? "" : "&") + q;
  return out;
}

std::vector<Impairment> HostedPackage::impairments_for(Transport transport) const {
  std::vector<Impairment> out;
  for (const auto& imp : impairments_)
    if (imp.applies_to(transport)) out.push_back(imp);
  return out;
}

bool HostedPackage::needs_relay() const {
  for (const auto& imp : impairments_)
    if (imp.on_wire() && imp.applies_to(Transport::Coap)) return true;
  return false;
}

bool HostedPackage::reaches(const Impairment& imp, const RequestPosition& at) {
  if (imp.at.unit == Position::Unit::Block) return at.block_size != 0 && at.block >= imp.at.value;
  return at.offset >= imp.at.value;
}

Bytes HostedPackage::etag_at(Transport transport, const RequestPosition& at) const {
  for (const auto& imp : impairments_)
    if (imp.kind == ImpairmentKind::EtagChangeAt && imp.applies_to(transport) && reaches(imp, at))
      return changed_etag(etag_);
  return etag_;
}

std::optional<Impairment> HostedPackage::error_at(Transport transport, const RequestPosition& at) {
  for (const auto& imp : impairments_) {
    if (imp.kind != ImpairmentKind::ErrorAt || !imp.applies_to(transport) || !reaches(imp, at)) continue;
    if (imp.once && !first_use(imp.describe() + (transport == Transport::Coap ? " used on coap" : " used on http"))) continue;
    return imp;
  }
  return std::nullopt;
}

Bytes HostedPackage::bytes(Transport transport, std::uint64_t offset, std::size_t length, std::size_t block_size) const {
  if (offset >= content_.size()) return {};
  auto end = std::min<std::uint64_t>(content_.size(), offset + length);
  Bytes out(content_.begin() + static_cast<std::ptrdiff_t>(offset), content_.begin() + static_cast<std::ptrdiff_t>(end));
  for (const auto& imp : impairments_) {
    if (imp.kind != ImpairmentKind::ContentChangeAt || !imp.applies_to(transport)) continue;
    if (imp.at.unit == Position::Unit::Block && block_size == 0) continue;
    std::uint64_t from = imp.at.unit == Position::Unit::Block ? imp.at.value * block_size : imp.at.value;
    for (std::uint64_t i = std::max(from, offset); i < end; ++i) {
      auto& b = out[static_cast<std::size_t>(i - offset)];
      b = static_cast<std::uint8_t>(~b);
    }
  }
  return out;
}

bool HostedPackage::announces_size(Transport transport) const {
  for (const auto& imp : impairments_)
    if (imp.kind == ImpairmentKind::AnnounceSize && imp.applies_to(transport)) return true;
  return false;
}

std::uint64_t HostedPackage::announced_size(Transport transport) const {
  for (const auto& imp : impairments_)
    if (imp.kind == ImpairmentKind::AnnounceSize && imp.applies_to(transport)) return imp.bytes;
  return content_.size();
}

std::size_t HostedPackage::max_block_size() const {
  std::size_t size = 1024;
  for (const auto& imp : impairments_)
    if (imp.kind == ImpairmentKind::MaxBlock) size = std::min<std::size_t>(size, imp.bytes);
  return size;
}

bool HostedPackage::first_use(const std::string& key) {
  std::lock_guard lock(mutex_);
  return used_.insert(key).second;
}

}  // namespace fc::repository
