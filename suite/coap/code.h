// CoAP codes (RFC 7252 §5.9, §12.1) as class.detail values with the names traces print.
#pragma once

#include <cstdint>
#include <string>

namespace fc::coap {

struct Code {
  std::uint8_t cls = 0;
  std::uint8_t detail = 0;

  constexpr Code() = default;
  constexpr Code(std::uint8_t c, std::uint8_t d) : cls(c), detail(d) {}
  static constexpr Code from_raw(std::uint8_t raw) {
    return Code(static_cast<std::uint8_t>(raw >> 5), static_cast<std::uint8_t>(raw & 0x1f));
  }
  constexpr std::uint8_t raw() const { return static_cast<std::uint8_t>(cls << 5 | detail); }
  constexpr bool is_request() const { return cls == 0 && detail != 0; }
  constexpr bool is_success() const { return cls == 2; }
  constexpr bool is_error() const { return cls == 4 || cls == 5; }
  constexpr bool operator==(const Code&) const = default;

  // "2.05 Content", "0.01 GET", "4.13 Request Entity Too Large".
  std::string str() const;
  // "2.05".
  std::string number() const;
};

namespace code {
inline constexpr Code Empty{0, 0};
inline constexpr Code Get{0, 1};
inline constexpr Code Post{0, 2};
inline constexpr Code Put{0, 3};
inline constexpr Code Delete{0, 4};
inline constexpr Code Fetch{0, 5};
inline constexpr Code Patch{0, 6};
inline constexpr Code IPatch{0, 7};
inline constexpr Code Created{2, 1};
inline constexpr Code Deleted{2, 2};
inline constexpr Code Valid{2, 3};
inline constexpr Code Changed{2, 4};
inline constexpr Code Content{2, 5};
inline constexpr Code Continue{2, 31};
inline constexpr Code BadRequest{4, 0};
inline constexpr Code Unauthorized{4, 1};
inline constexpr Code BadOption{4, 2};
inline constexpr Code Forbidden{4, 3};
inline constexpr Code NotFound{4, 4};
inline constexpr Code MethodNotAllowed{4, 5};
inline constexpr Code NotAcceptable{4, 6};
inline constexpr Code RequestEntityIncomplete{4, 8};
inline constexpr Code PreconditionFailed{4, 12};
inline constexpr Code RequestEntityTooLarge{4, 13};
inline constexpr Code UnsupportedContentFormat{4, 15};
inline constexpr Code InternalServerError{5, 0};
inline constexpr Code NotImplemented{5, 1};
inline constexpr Code ServiceUnavailable{5, 3};
}  // namespace code

}  // namespace fc::coap
