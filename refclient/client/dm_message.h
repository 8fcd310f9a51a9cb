// A Device Management request and its answer as the request router sees them, free of libcoap.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "suite/common/bytes.h"
#include "suite/lwm2m/path.h"

namespace fc::refclient {

enum class Method { Get, Post, Put, Delete, Other };

// The value of a Block1/Block2 option (RFC 7959 §2.2): block number, more flag, size exponent.
struct BlockOption {
  std::uint32_t num = 0;
  bool more = false;
  int szx = 6;  // block size 2^(szx+4): 0 → 16 bytes ... 6 → 1024 bytes
  std::uint64_t offset() const { return std::uint64_t{num} << (szx + 4); }
  std::size_t size() const { return std::size_t{1} << (szx + 4); }
  bool operator==(const BlockOption&) const = default;
};

// nullopt for SZX 7 (BERT, reliable transports only) or a number beyond 20 bits.
std::optional<BlockOption> decode_block_option(std::uint32_t value);
std::uint32_t encode_block_option(const BlockOption& block);

struct DmRequest {
  Method method = Method::Get;
  lwm2m::Path path;
  std::optional<std::uint16_t> content_format;
  std::optional<std::uint16_t> accept;
  std::optional<std::uint32_t> observe;
  std::optional<BlockOption> block1;
  std::optional<std::uint32_t> size1;
  std::vector<std::string> queries;  // Uri-Query options as sent, "pmin=2"
  Bytes payload;
  std::optional<std::uint16_t> message_id;  // tells a retransmission from a new request
};

struct DmResponse {
  int code_class = 2;
  int code_detail = 5;
  std::optional<std::uint16_t> content_format;
  Bytes payload;  // the content, or diagnostic text for error answers
  std::optional<BlockOption> block1;
  std::optional<std::uint32_t> size1;

  static DmResponse error(int cls, int detail, const std::string& why) {
    return {cls, detail, std::nullopt, to_bytes(why), std::nullopt, std::nullopt};
  }
  static DmResponse code(int cls, int detail) { return {cls, detail, std::nullopt, {}, std::nullopt, std::nullopt}; }
  bool ok() const { return code_class == 2; }
  // "2.05", "4.04": for logs and test messages.
  std::string code_text() const;
};

}  // namespace fc::refclient
