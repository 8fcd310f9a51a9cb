// getaddrinfo, once, with the port filled in.
#include "refclient/firmware/resolve_host.h"

#include <fmt/format.h>
#include <netdb.h>

#include <cstring>
#include <memory>

namespace fc::refclient {

std::variant<ResolvedAddress, std::string> resolve_host(const std::string& host, std::uint16_t port,
                                                        int socktype) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = socktype;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0 || found == nullptr) {
    return fmt::format("host \"{}\" does not resolve: {}", host, rc != 0 ? ::gai_strerror(rc) : "no address");
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(found, &::freeaddrinfo);
  ResolvedAddress out;
  std::memcpy(&out.address, found->ai_addr, found->ai_addrlen);
  out.length = found->ai_addrlen;
  return out;
}

}  // namespace fc::refclient
