#include "suite/repository/coap_repository.h"

#include <fmt/format.h>

#include <stdexcept>

namespace fc::repository {

namespace code = coap::code;

namespace {
constexpr std::uint16_t kOctetStream = 42;  // application/octet-stream (RFC 7252 §12.3)
}

BlockAnswer answer_block_request(HostedPackage& package, const coap::Message& request, const CoapServing& serving) {
  BlockAnswer out;
  std::optional<coap::BlockOption> asked = request.block2;
  if (asked && asked->szx == 7) asked->szx = 6;  // BERT is for CoAP over TCP; UDP serves 1024
  auto max_szx = std::min<std::uint8_t>(serving.max_block_szx, coap::BlockOption::szx_for(package.max_block_size()));
  auto szx = asked ? std::min(asked->szx, max_szx) : max_szx;
  std::uint64_t offset = asked ? asked->offset() : 0;
  std::size_t size = std::size_t{1} << (szx + 4);
  RequestPosition at{offset / size, offset, size};

  if (auto error = package.error_at(Transport::Coap, at)) {
    out.reply = coap::Reply::with(error->code);
    out.notes.push_back(fmt::format("{}: answered {} to block {} (offset {})", error->describe(), error->code.number(),
                                    at.block, offset));
    return out;
  }
  if (offset > 0 && offset >= package.size()) {
    out.reply = coap::Reply::text(code::BadOption, fmt::format("block {} of {} B starts past the end ({} B)", at.block,
                                                               size, package.size()));
    return out;
  }

  auto& reply = out.reply;
  reply.code = code::Content;
  reply.content_format = kOctetStream;
  reply.payload = package.bytes(Transport::Coap, offset, size, size);
  bool more = offset + size < package.size();
  if (asked || more) reply.block2 = coap::BlockOption{static_cast<std::uint32_t>(at.block), more, szx};
  reply.etag = package.etag_at(Transport::Coap, at);
  bool announcing = package.announces_size(Transport::Coap);
  if (request.size2 || serving.always_size2 || (announcing && offset == 0))
    reply.size2 = static_cast<std::uint32_t>(std::min<std::uint64_t>(package.announced_size(Transport::Coap), UINT32_MAX));

  // Content impairments are noted once per package: every later block repeats them.
  for (const auto& imp : package.impairments_for(Transport::Coap)) {
    bool acting = false;
    if (imp.kind == ImpairmentKind::EtagChangeAt) acting = *reply.etag != package.etag();
    if (imp.kind == ImpairmentKind::ContentChangeAt)
      acting = imp.at.unit == Position::Unit::Block ? at.block >= imp.at.value
                                                    : offset + reply.payload.size() > imp.at.value;
    if (imp.kind == ImpairmentKind::AnnounceSize) acting = reply.size2.has_value();
    if (imp.kind == ImpairmentKind::MaxBlock) acting = asked && asked->szx > szx;
    if (acting && package.first_use(imp.describe() + " noted on coap"))
      out.notes.push_back(fmt::format("{}: acting from block {} (offset {}) on", imp.describe(), at.block, offset));
  }
  out.served = at;
  return out;
}

CoapRepository::CoapRepository(coap::EventLoop& loop, coap::Trace& trace, PackageStore& store,
                               TransferCounters& counters, const std::string& bind, const CoapEndpoints& endpoints,
                               CoapServing serving)
    : store_(store), counters_(counters), serving_(serving), context_(loop, "repository-coap", trace) {
  using coap::Transport;
  addresses_[Transport::Udp] = context_.listen(bind, endpoints.udp_port, Transport::Udp);
  bool secure = endpoints.secure.mode != coap::SecurityMode::NoSec;
  if (secure) {
    if (!coap::transport_supported(Transport::Dtls))
      throw std::runtime_error("CoAP repository: coaps credentials are set but this libcoap build has no DTLS");
    context_.accept_secure(endpoints.secure);
    addresses_[Transport::Dtls] = context_.listen(bind, endpoints.dtls_port, Transport::Dtls);
  }
  if (endpoints.tcp && coap::transport_supported(Transport::Tcp))
    addresses_[Transport::Tcp] = context_.listen(bind, endpoints.tcp_port, Transport::Tcp);
  if (endpoints.tcp && secure && coap::transport_supported(Transport::Tls))
    addresses_[Transport::Tls] = context_.listen(bind, endpoints.tls_port, Transport::Tls);
  // Block GETs are safe to answer again, and the counters are to count every request the
  // device sent, retransmissions included: no RFC 7252 4.5 deduplication here.
  context_.deduplicate_requests(false);
  context_.on_request([this](const coap::IncomingRequest& in) { return handle(in); });
}

std::optional<coap::BoundAddress> CoapRepository::address(coap::Transport transport) const {
  auto it = addresses_.find(transport);
  if (it == addresses_.end()) return std::nullopt;
  return it->second;
}

coap::Reply CoapRepository::handle(const coap::IncomingRequest& in) {
  const auto& m = in.message;
  auto path = m.path();
  auto package = store_.find(path);
  if (!package) {
    counters_.unknown(path);
    return coap::Reply::with(code::NotFound);
  }
  // The request is counted with its block when one is served (one look-up per block), else here.
  if (m.code != code::Get) {
    counters_.request(path, in.peer);
    counters_.error(path);
    return coap::Reply::with(code::MethodNotAllowed);
  }
  // A package published with a query is found only with it, on every block (as a server that
  // keys downloads on a token would): a client that drops it after block 0 gets 4.04.
  if (m.uri_query != package->query()) {
    counters_.request(path, in.peer);
    counters_.error(path);
    context_.trace().note("repository-coap", fmt::format("{}: Uri-Query '{}' is not the published '{}': 4.04", path,
                                                         fmt::join(m.uri_query, "&"), package->query_string()));
    return coap::Reply::with(code::NotFound);
  }
  auto answer = answer_block_request(*package, m, serving_);
  for (const auto& note : answer.notes) context_.trace().note("repository-coap", path + " " + note);
  if (answer.served) {
    counters_.coap_block_request(path, in.peer, answer.served->offset, answer.reply.payload.size());
  } else {
    counters_.request(path, in.peer);
    counters_.error(path);
  }
  return std::move(answer.reply);
}

}  // namespace fc::repository
