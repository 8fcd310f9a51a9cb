#include "suite/coap/code.h"

#include <fmt/format.h>

namespace fc::coap {

namespace {
const char* name_of(Code c) {
  switch (c.raw()) {
    case Code(0, 0).raw(): return "Empty";
    case Code(0, 1).raw(): return "GET";
    case Code(0, 2).raw(): return "POST";
    case Code(0, 3).raw(): return "PUT";
    case Code(0, 4).raw(): return "DELETE";
    case Code(0, 5).raw(): return "FETCH";
    case Code(0, 6).raw(): return "PATCH";
    case Code(0, 7).raw(): return "iPATCH";
    case Code(2, 1).raw(): return "Created";
    case Code(2, 2).raw(): return "Deleted";
    case Code(2, 3).raw(): return "Valid";
    case Code(2, 4).raw(): return "Changed";
    case Code(2, 5).raw(): return "Content";
    case Code(2, 31).raw(): return "Continue";
    case Code(4, 0).raw(): return "Bad Request";
    case Code(4, 1).raw(): return "Unauthorized";
    case Code(4, 2).raw(): return "Bad Option";
    case Code(4, 3).raw(): return "Forbidden";
    case Code(4, 4).raw(): return "Not Found";
    case Code(4, 5).raw(): return "Method Not Allowed";
    case Code(4, 6).raw(): return "Not Acceptable";
    case Code(4, 8).raw(): return "Request Entity Incomplete";
    case Code(4, 9).raw(): return "Conflict";
    case Code(4, 12).raw(): return "Precondition Failed";
    case Code(4, 13).raw(): return "Request Entity Too Large";
    case Code(4, 15).raw(): return "Unsupported Content-Format";
    case Code(5, 0).raw(): return "Internal Server Error";
    case Code(5, 1).raw(): return "Not Implemented";
    case Code(5, 2).raw(): return "Bad Gateway";
    case Code(5, 3).raw(): return "Service Unavailable";
    case Code(5, 4).raw(): return "Gateway Timeout";
    default: return nullptr;
  }
}
}  // namespace

std::string Code::number() const { return fmt::format("{}.{:02}", cls, detail); }

std::string Code::str() const {
  const char* name = name_of(*this);
  return name ? number() + " " + name : number();
}

}  // namespace fc::coap
