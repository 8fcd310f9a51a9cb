#include "suite/repository/impairment_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "suite/coap/wire_listeners.h"

namespace fc::repository {

namespace {

std::pair<sockaddr_storage, socklen_t> resolve(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* result = nullptr;
  int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &result);
  if (rc != 0 || !result)
    throw std::runtime_error("impairment relay: cannot use address '" + host + "': " + ::gai_strerror(rc));
  sockaddr_storage out{};
  std::memcpy(&out, result->ai_addr, result->ai_addrlen);
  auto length = static_cast<socklen_t>(result->ai_addrlen);
  ::freeaddrinfo(result);
  return {out, length};
}

std::string name_of(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = {};
  std::uint16_t port = 0;
  if (address.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&address);
    ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    port = ntohs(a->sin6_port);
    return "[" + std::string(host) + "]:" + std::to_string(port);
  }
  const auto* a = reinterpret_cast<const sockaddr_in*>(&address);
  ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
  port = ntohs(a->sin_port);
  return std::string(host) + ":" + std::to_string(port);
}

std::uint16_t port_of(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
  if (address.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
}

int open_socket(int family, const std::string& what) {
  int fd = ::socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("impairment relay: cannot open " + what + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

ImpairmentRelay::ImpairmentRelay(coap::EventLoop& loop, coap::Trace& trace, const std::string& bind_host,
                                 const coap::BoundAddress& repository, const std::vector<Impairment>& impairments,
                                 std::string label)
    : loop_(loop), trace_(trace), label_(std::move(label)), policy_(impairments) {
  std::tie(repository_, repository_length_) = resolve(repository.host, repository.port);
  auto [local, local_length] = resolve(bind_host, 0);
  socket_ = open_socket(local.ss_family, "its socket");
  if (::bind(socket_, reinterpret_cast<const sockaddr*>(&local), local_length) != 0) {
    std::string why = std::strerror(errno);
    ::close(socket_);
    throw std::runtime_error("impairment relay: cannot bind " + bind_host + ": " + why);
  }
  address_ = coap::BoundAddress{bind_host, port_of(socket_)};
  coap::note_listener(address_.port, coap::WireService::Coap);  // a wire capture shows it as 5683
  loop_.watch(socket_, [this] { on_client_datagrams(); });
  trace_.note("repository-coap", label_ + ": relay " + address_.authority() + " → " + repository.authority() +
                                     " with " + describe(policy_.impairments()));
}

ImpairmentRelay::~ImpairmentRelay() {
  alive_.reset();
  loop_.unwatch(socket_);
  ::close(socket_);
  for (auto& [name, peer] : peers_) {
    loop_.unwatch(peer->upstream);
    ::close(peer->upstream);
  }
}

ImpairmentRelay::Peer& ImpairmentRelay::peer_for(const sockaddr_storage& address, socklen_t length) {
  auto name = name_of(address);
  auto it = peers_.find(name);
  if (it != peers_.end()) return *it->second;
  auto peer = std::make_unique<Peer>();
  peer->name = name;
  peer->address = address;
  peer->length = length;
  peer->upstream = open_socket(repository_.ss_family, "an upstream socket");
  if (::connect(peer->upstream, reinterpret_cast<const sockaddr*>(&repository_), repository_length_) != 0) {
    std::string why = std::strerror(errno);
    ::close(peer->upstream);
    throw std::runtime_error("impairment relay: cannot reach the repository: " + why);
  }
  Peer& ref = *peer;
  loop_.watch(ref.upstream, [this, &ref] { on_repository_datagrams(ref); });
  peers_.emplace(name, std::move(peer));
  return ref;
}

void ImpairmentRelay::on_client_datagrams() {
  for (;;) {
    sockaddr_storage from{};
    socklen_t length = sizeof from;
    auto n = ::recvfrom(socket_, buffer_.data(), buffer_.size(), 0, reinterpret_cast<sockaddr*>(&from), &length);
    if (n < 0) return;  // EAGAIN: drained (errors on an unconnected UDP socket are not ours to fix)
    pass(Leg::ToRepository, peer_for(from, length), Bytes(buffer_.begin(), buffer_.begin() + n));
  }
}

void ImpairmentRelay::on_repository_datagrams(Peer& peer) {
  for (;;) {
    auto n = ::recv(peer.upstream, buffer_.data(), buffer_.size(), 0);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      continue;  // ECONNREFUSED from an earlier send while the repository was away: keep draining
    }
    pass(Leg::ToClient, peer, Bytes(buffer_.begin(), buffer_.begin() + n));
  }
}

void ImpairmentRelay::release_stalls() {
  for (auto& note : policy_.release_stalls()) trace_.note("repository-coap", label_ + " " + note);
}

bool ImpairmentRelay::release_pace(const Impairment& pace) {
  auto note = policy_.release_pace(pace);
  if (note) trace_.note("repository-coap", label_ + " " + *note);
  return note.has_value();
}

void ImpairmentRelay::pass(Leg leg, Peer& peer, Bytes datagram) {
  auto decision = policy_.decide(leg, peer.name, datagram, Clock::now());
  for (auto& note : decision.notes) trace_.note("repository-coap", label_ + " " + note);
  if (decision.answer) send(leg == Leg::ToRepository ? Leg::ToClient : Leg::ToRepository, peer, *decision.answer);
  if (!decision.forward) return;
  if (decision.delay.count() == 0) {
    send(leg, peer, datagram);
    return;
  }
  std::weak_ptr<void> alive = alive_;
  Peer* target = &peer;
  loop_.schedule(Clock::now() + decision.delay, [this, alive, leg, target, data = std::move(datagram)] {
    if (!alive.expired()) send(leg, *target, data);
  });
}

void ImpairmentRelay::send(Leg leg, const Peer& peer, const Bytes& datagram) {
  // UDP: a send that fails is a lost datagram, which CoAP's retransmission already handles.
  if (leg == Leg::ToRepository)
    (void)::send(peer.upstream, datagram.data(), datagram.size(), 0);
  else
    (void)::sendto(socket_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&peer.address),
                   peer.length);
}

}  // namespace fc::repository
