// The one error every decoder throws: which format, where in the input, and what was wrong.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

#include "suite/lwm2m/content_format.h"

namespace fc::lwm2m {

class CodecError : public std::runtime_error {
 public:
  CodecError(ContentFormat format, std::size_t offset, const std::string& what);
  ContentFormat format() const { return format_; }
  // Byte offset in the input where decoding failed (0 when not about a position).
  std::size_t offset() const { return offset_; }
  // The problem alone, without the "format at offset" prefix that what() carries.
  const std::string& problem() const { return problem_; }

 private:
  ContentFormat format_;
  std::size_t offset_;
  std::string problem_;
};

}  // namespace fc::lwm2m
