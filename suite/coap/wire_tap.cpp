// Socket-call interposition for the wire capture (see wire_tap.h). The C library's checked
// variants (_FORTIFY_SOURCE) would define recv/recvfrom inline in <sys/socket.h>.
#undef _FORTIFY_SOURCE
#include "suite/coap/wire_tap.h"

#include <dlfcn.h>
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <utility>
#include <vector>

namespace fc::coap {

namespace {

std::atomic<WireSink*> installed_sink{nullptr};
std::shared_mutex& sink_mutex() {
  static std::shared_mutex m;
  return m;
}

// "family|address|port" of every socket of this process that sent something: a datagram
// received from one of them is an echo of a capture already made.
using EndpointKey = std::pair<std::string, std::uint16_t>;
std::mutex& own_mutex() {
  static std::mutex m;
  return m;
}
std::set<EndpointKey>& own_endpoints() {
  static std::set<EndpointKey> s;
  return s;
}

std::uint16_t port_of(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port);
  if (a.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
  return 0;
}
EndpointKey key_of(const sockaddr_storage& a) {
  std::string address;
  if (a.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(a).sin_addr;
    address.assign(reinterpret_cast<const char*>(&in), sizeof in);
  } else if (a.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
    address.assign(reinterpret_cast<const char*>(&in6), sizeof in6);
  }
  return {std::to_string(a.ss_family) + address, port_of(a)};
}
bool is_ip(const sockaddr_storage& a) { return a.ss_family == AF_INET || a.ss_family == AF_INET6; }

struct SocketFacts {
  bool ip = false;
  WireProtocol protocol = WireProtocol::Udp;
  sockaddr_storage local{};
};

SocketFacts facts_of(int fd) {
  SocketFacts f;
  int type = 0;
  socklen_t length = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &length) != 0) return f;
  if (type != SOCK_DGRAM && type != SOCK_STREAM) return f;
  f.protocol = type == SOCK_STREAM ? WireProtocol::Tcp : WireProtocol::Udp;
  length = sizeof f.local;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&f.local), &length) != 0) return f;
  f.ip = is_ip(f.local);
  return f;
}

bool peer_of(int fd, sockaddr_storage& out) {
  socklen_t length = sizeof out;
  return ::getpeername(fd, reinterpret_cast<sockaddr*>(&out), &length) == 0 && is_ip(out);
}

void copy_address(const void* address, socklen_t length, sockaddr_storage& out) {
  if (!address || length == 0) return;
  std::memcpy(&out, address, std::min<std::size_t>(length, sizeof out));
}

bool is_unspecified(const sockaddr_storage& a) {
  if (a.ss_family == AF_INET) return reinterpret_cast<const sockaddr_in&>(a).sin_addr.s_addr == htonl(INADDR_ANY);
  if (a.ss_family == AF_INET6) return IN6_IS_ADDR_UNSPECIFIED(&reinterpret_cast<const sockaddr_in6&>(a).sin6_addr);
  return false;
}

// A socket bound to the wildcard address learns the datagram's own address from IP_PKTINFO
// (libcoap asks for it on its endpoints); without one the loopback of the family stands in.
void local_address_from(const msghdr* message, bool receiving, sockaddr_storage& local) {
  if (!is_unspecified(local)) return;
  if (message && message->msg_control)
    for (cmsghdr* c = CMSG_FIRSTHDR(message); c; c = CMSG_NXTHDR(const_cast<msghdr*>(message), c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO && local.ss_family == AF_INET) {
        in_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        reinterpret_cast<sockaddr_in&>(local).sin_addr = receiving ? info.ipi_addr : info.ipi_spec_dst;
        if (!is_unspecified(local)) return;
      }
      if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO && local.ss_family == AF_INET6) {
        in6_pktinfo info;
        std::memcpy(&info, CMSG_DATA(c), sizeof info);
        reinterpret_cast<sockaddr_in6&>(local).sin6_addr = info.ipi6_addr;
        if (!is_unspecified(local)) return;
      }
    }
  if (local.ss_family == AF_INET) reinterpret_cast<sockaddr_in&>(local).sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  else reinterpret_cast<sockaddr_in6&>(local).sin6_addr = in6addr_loopback;
}

template <typename F>
F real(const char* name) {
  return reinterpret_cast<F>(::dlsym(RTLD_NEXT, name));
}

// Flattens an iovec list into `out` (only what was actually moved: `length` bytes).
void gather(const msghdr* message, std::size_t length, std::vector<std::uint8_t>& out) {
  out.clear();
  for (std::size_t i = 0; i < message->msg_iovlen && out.size() < length; ++i) {
    const auto* base = static_cast<const std::uint8_t*>(message->msg_iov[i].iov_base);
    std::size_t take = std::min(message->msg_iov[i].iov_len, length - out.size());
    out.insert(out.end(), base, base + take);
  }
}

// Before a send: the socket's facts, its local endpoint noted as ours when already bound.
struct SendContext {
  WireSink* sink = nullptr;
  SocketFacts facts;
};
SendContext before_send(int fd) {
  SendContext c;
  c.sink = installed_sink.load(std::memory_order_acquire);
  if (!c.sink) return c;
  c.facts = facts_of(fd);
  if (c.facts.ip && port_of(c.facts.local) != 0) {
    std::lock_guard lock(own_mutex());
    own_endpoints().insert(key_of(c.facts.local));
  }
  return c;
}

void deliver(WirePacket& packet) {
  std::shared_lock lock(sink_mutex());
  if (WireSink* sink = installed_sink.load(std::memory_order_acquire)) sink->on_packet(packet);
}

void after_send(int fd, SendContext& c, const void* destination, socklen_t destination_length, const msghdr* message,
                ByteView bytes) {
  if (!c.sink || !c.facts.ip || bytes.empty()) return;
  WirePacket packet;
  packet.time = std::chrono::system_clock::now();
  packet.protocol = c.facts.protocol;
  packet.sent = true;
  if (port_of(c.facts.local) == 0) {  // bound by this very send
    c.facts = facts_of(fd);
    std::lock_guard lock(own_mutex());
    own_endpoints().insert(key_of(c.facts.local));
  }
  packet.source = c.facts.local;
  local_address_from(message, false, packet.source);
  if (destination) copy_address(destination, destination_length, packet.destination);
  else if (!peer_of(fd, packet.destination)) return;
  if (!is_ip(packet.destination)) return;
  packet.bytes = bytes;
  deliver(packet);
}

void after_receive(int fd, int flags, const void* source, socklen_t source_length, const msghdr* message,
                   ByteView bytes) {
  WireSink* sink = installed_sink.load(std::memory_order_acquire);
  if (!sink || bytes.empty() || (flags & MSG_PEEK)) return;
  SocketFacts facts = facts_of(fd);
  if (!facts.ip) return;
  WirePacket packet;
  packet.time = std::chrono::system_clock::now();
  packet.protocol = facts.protocol;
  packet.destination = facts.local;
  local_address_from(message, true, packet.destination);
  if (source && source_length > 0) copy_address(source, source_length, packet.source);
  else if (!peer_of(fd, packet.source)) return;
  if (!is_ip(packet.source)) return;
  {
    std::lock_guard lock(own_mutex());
    packet.from_this_process = own_endpoints().contains(key_of(packet.source));
  }
  packet.bytes = bytes;
  deliver(packet);
}

}  // namespace

void set_wire_sink(WireSink* sink) {
  std::unique_lock lock(sink_mutex());
  installed_sink.store(sink, std::memory_order_release);
}

}  // namespace fc::coap

using fc::ByteView;
using namespace fc::coap;

extern "C" {

ssize_t send(int fd, const void* buffer, size_t length, int flags) {
  static auto next = real<ssize_t (*)(int, const void*, size_t, int)>("send");
  auto context = before_send(fd);
  ssize_t n = next(fd, buffer, length, flags);
  if (n > 0) after_send(fd, context, nullptr, 0, nullptr, ByteView(static_cast<const std::uint8_t*>(buffer), static_cast<size_t>(n)));
  return n;
}

ssize_t sendto(int fd, const void* buffer, size_t length, int flags, const sockaddr* to, socklen_t to_length) {
  static auto next = real<ssize_t (*)(int, const void*, size_t, int, const sockaddr*, socklen_t)>("sendto");
  auto context = before_send(fd);
  ssize_t n = next(fd, buffer, length, flags, to, to_length);
  if (n > 0) after_send(fd, context, to, to_length, nullptr, ByteView(static_cast<const std::uint8_t*>(buffer), static_cast<size_t>(n)));
  return n;
}

ssize_t sendmsg(int fd, const msghdr* message, int flags) {
  static auto next = real<ssize_t (*)(int, const msghdr*, int)>("sendmsg");
  auto context = before_send(fd);
  ssize_t n = next(fd, message, flags);
  if (n > 0 && context.sink) {
    std::vector<std::uint8_t> bytes;
    gather(message, static_cast<size_t>(n), bytes);
    after_send(fd, context, message->msg_name, message->msg_namelen, message, bytes);
  }
  return n;
}

ssize_t recv(int fd, void* buffer, size_t length, int flags) {
  static auto next = real<ssize_t (*)(int, void*, size_t, int)>("recv");
  ssize_t n = next(fd, buffer, length, flags);
  // With MSG_TRUNC a datagram's full length comes back: only what is in the buffer is known.
  if (n > 0)
    after_receive(fd, flags, nullptr, 0, nullptr,
                  ByteView(static_cast<const std::uint8_t*>(buffer), std::min(length, static_cast<size_t>(n))));
  return n;
}

ssize_t recvfrom(int fd, void* buffer, size_t length, int flags, sockaddr* from, socklen_t* from_length) {
  static auto next = real<ssize_t (*)(int, void*, size_t, int, sockaddr*, socklen_t*)>("recvfrom");
  ssize_t n = next(fd, buffer, length, flags, from, from_length);
  if (n > 0)
    after_receive(fd, flags, from, from && from_length ? *from_length : 0, nullptr,
                  ByteView(static_cast<const std::uint8_t*>(buffer), std::min(length, static_cast<size_t>(n))));
  return n;
}

ssize_t recvmsg(int fd, msghdr* message, int flags) {
  static auto next = real<ssize_t (*)(int, msghdr*, int)>("recvmsg");
  ssize_t n = next(fd, message, flags);
  if (n > 0 && installed_sink.load(std::memory_order_acquire)) {
    std::vector<std::uint8_t> bytes;
    gather(message, static_cast<size_t>(n), bytes);
    after_receive(fd, flags, message->msg_name, message->msg_namelen, message, bytes);
  }
  return n;
}

}  // extern "C"
