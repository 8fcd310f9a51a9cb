// One repository fault as data: what it does, where in the package it strikes, and the compact
// text form ("drop-after-block:3", "loss:rate=0.2,seed=7") that profiles, cases and traces use.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "suite/coap/code.h"
#include "suite/common/clock.h"

namespace fc::repository {

enum class Transport { Coap, Http };

enum class ImpairmentKind {
  DropAfter,        // dead link: nothing past the position reaches the client (CoAP relay; HTTP close)
  Stall,            // the link goes silent once, at the position, for `duration`, then comes back
  Loss,             // each datagram lost with probability `rate`, from a generator seeded with `seed`
  Delay,            // every datagram (CoAP) or response (HTTP) held back by `duration`
  Bandwidth,        // each leg of the CoAP link carries `bytes` bits per second: datagrams queue
  ErrorAt,          // requests from the position on are answered with `code`
  EtagChangeAt,     // responses from the position on carry another ETag (content unchanged)
  ContentChangeAt,  // bytes from the position on differ, ETag unchanged: a splice that must fail
  AnnounceSize,     // Size2 / Content-Length claim `bytes` as the total
  MaxBlock,         // Block2 never larger than `bytes`, whatever the client asks (RFC 7959 §2.4)
  HttpCloseAfter,   // each HTTP response body is cut after `bytes` and the connection closed
  HttpLyingLength,  // Content-Length is the true length plus `length_delta`
  AckThenSilence,   // CoAP: requests from the position on get an empty ACK and never a response
  WeakEtag,         // HTTP: the ETag is sent weak (W/"…"), so it can validate no range (RFC 9110 §13.1.5)
};

// Where in a package an impairment strikes: a Block2 number (at the block size being served) or
// an absolute byte offset.
struct Position {
  enum class Unit { Block, Byte };
  Unit unit = Unit::Block;
  std::uint64_t value = 0;
  bool operator==(const Position&) const = default;
};

struct Impairment {
  ImpairmentKind kind = ImpairmentKind::DropAfter;
  Position at;                 // DropAfter, Stall, ErrorAt, EtagChangeAt, ContentChangeAt, AckThenSilence
  Duration duration{0};        // Stall, Delay
  double rate = 0.0;           // Loss
  std::uint32_t seed = 0;      // Loss
  coap::Code code;             // ErrorAt; over HTTP it is class*100+detail (4.04 → 404)
  bool once = false;           // ErrorAt: only the first request that reaches the position;
                               // DropAfter (bytes, HTTP): only the first response that crosses it
  std::uint64_t bytes = 0;     // AnnounceSize (total), MaxBlock (block size), HttpCloseAfter;
                               // Bandwidth: bits per second
  std::int64_t length_delta = 0;  // HttpLyingLength

  // The text form, e.g. "stall:block=2,for=1500ms"; parse_impairment(describe()) == *this.
  std::string describe() const;
  bool applies_to(Transport transport) const;
  // Needs silence or timing on the wire, so a CoAP package carrying it is served via a relay.
  bool on_wire() const;
  int http_status() const { return code.cls * 100 + code.detail; }
  bool operator==(const Impairment&) const = default;
};

class ImpairmentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Parses one text form; throws ImpairmentError naming the text and what is wrong with it.
// Forms: drop-after-block:K  drop-after-byte:N  stall:block=K,for=D  stall:byte=N,for=D
//        drop-after-byte:N,once (HTTP: the first response only)
//        loss:rate=R,seed=S  delay:D  bandwidth:BITS_PER_SECOND  error-at-block:K,code=C[,once]  error-at-byte:N,code=C[,once]
//        etag-change-at-block:K  etag-change-at-byte:N  content-change-at-block:K
//        content-change-at-byte:N  announce-size:N  max-block:S  http-close-after:N
//        http-lying-length:+D|-D  ack-then-silence-at-block:K  ack-then-silence-at-byte:N  weak-etag
// D is a duration ("50ms", "2s", "1.5s"); C a CoAP code ("5.03") or HTTP status ("503").
Impairment parse_impairment(std::string_view text);
// Several forms separated by ';' (blanks around them ignored), as a profile line carries them.
std::vector<Impairment> parse_impairments(std::string_view list);
std::string describe(const std::vector<Impairment>& impairments);

}  // namespace fc::repository
