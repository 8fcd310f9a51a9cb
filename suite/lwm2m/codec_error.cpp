#include "suite/lwm2m/codec_error.h"

namespace fc::lwm2m {
namespace {

std::string full_message(ContentFormat format, std::size_t offset, const std::string& problem) {
  return to_string(format) + " at byte " + std::to_string(offset) + ": " + problem;
}

}  // namespace

CodecError::CodecError(ContentFormat format, std::size_t offset, const std::string& what)
    : std::runtime_error(full_message(format, offset, what)),
      format_(format),
      offset_(offset),
      problem_(what) {}

}  // namespace fc::lwm2m
