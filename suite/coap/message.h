// A decoded view of one CoAP message: what traces record and what handlers and cases inspect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "suite/coap/code.h"
#include "suite/common/bytes.h"

struct coap_pdu_t;

namespace fc::coap {

enum class MessageType : std::uint8_t { Con = 0, Non = 1, Ack = 2, Rst = 3 };
std::string to_string(MessageType type);

// Block1/Block2 option value (RFC 7959 §2.2).
struct BlockOption {
  std::uint32_t num = 0;
  bool more = false;
  std::uint8_t szx = 6;  // size = 2^(szx+4); 7 is BERT
  std::size_t size() const { return std::size_t{1} << (szx + 4); }
  std::size_t offset() const { return num * size(); }
  std::uint32_t encode() const { return num << 4 | (more ? 8u : 0u) | szx; }
  static BlockOption decode(std::uint32_t value);
  // Smallest SZX whose size is >= bytes, clamped to 0..6.
  static std::uint8_t szx_for(std::size_t bytes);
  std::string str() const;  // "2/1/1024" (num/more/size), as Wireshark prints it
  bool operator==(const BlockOption&) const = default;
};

struct Message {
  MessageType type = MessageType::Con;
  Code code;
  std::uint16_t message_id = 0;
  Bytes token;
  std::vector<std::string> uri_path;
  std::vector<std::string> uri_query;
  std::vector<std::string> location_path;
  std::optional<std::uint16_t> content_format;
  std::optional<std::uint16_t> accept;
  std::optional<std::uint32_t> observe;
  std::optional<BlockOption> block1;
  std::optional<BlockOption> block2;
  std::optional<std::uint32_t> size1;
  std::optional<std::uint32_t> size2;
  std::vector<Bytes> etags;
  Bytes payload;

  // Decodes every option it knows; unknown options are counted, never fatal.
  static Message from_pdu(const coap_pdu_t* pdu);

  std::string path() const;         // "/rd/3" ; "/" when no Uri-Path
  std::string location() const;     // "/rd/3" from Location-Path
  // One line: "CON GET mid=513 tok=4a2f /5/0/3 Observe:0 Accept:0"; payload size, not payload.
  std::string summary() const;
};

}  // namespace fc::coap
