// Name resolution for pull downloads: a host that does not resolve is an invalid URI (Result 7).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <variant>

namespace fc::refclient {

struct ResolvedAddress {
  sockaddr_storage address{};
  socklen_t length = 0;
};

// First address getaddrinfo gives for host:port, or the reason it gave none.
std::variant<ResolvedAddress, std::string> resolve_host(const std::string& host, std::uint16_t port,
                                                        int socktype);

}  // namespace fc::refclient
