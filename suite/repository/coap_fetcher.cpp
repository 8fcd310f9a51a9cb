#include "suite/repository/coap_fetcher.h"

#include <coap3/coap.h>
#include <fmt/format.h>

#include <cmath>

#include <charconv>
#include <stdexcept>

namespace fc::repository {

namespace code = coap::code;

CoapUri CoapUri::parse(std::string_view uri) {
  auto fail = [&](const std::string& why) {
    throw std::invalid_argument(fmt::format("CoAP URI '{}': {}", uri, why));
  };
  auto separator = uri.find("://");
  if (separator == std::string_view::npos) fail("no scheme");
  auto scheme = uri.substr(0, separator);
  auto transport = coap::transport_of_scheme(scheme);
  if (!transport) fail("scheme '" + std::string(scheme) + "' is not coap, coaps, coap+tcp or coaps+tcp");
  auto rest = uri.substr(separator + 3);
  auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  CoapUri out;
  out.transport = *transport;
  out.port = coap::is_secure(*transport) ? 5684 : 5683;  // RFC 7252 §6.1-6.2, RFC 8323 §8.1-8.2
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) fail("unclosed '[' in the host");
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') fail("junk after the IPv6 host");
      port_text = authority.substr(close + 2);
    }
  } else {
    auto colon = authority.find(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (out.host.empty()) fail("no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      fail("bad port '" + std::string(port_text) + "'");
    out.port = static_cast<std::uint16_t>(port);
  }
  auto query_at = rest.find('?');
  auto path = rest.substr(0, query_at);
  for (std::size_t start = 0; start < path.size();) {
    auto end = path.find('/', start + 1);
    auto segment = path.substr(start + 1, end == std::string_view::npos ? std::string_view::npos : end - start - 1);
    if (!segment.empty()) out.path.emplace_back(segment);
    if (end == std::string_view::npos) break;
    start = end;
  }
  if (query_at != std::string_view::npos) {
    auto query = rest.substr(query_at + 1);
    for (std::size_t start = 0; start <= query.size();) {
      auto amp = query.find('&', start);
      if (amp == std::string_view::npos) amp = query.size();
      if (amp > start) out.query.emplace_back(query.substr(start, amp - start));
      start = amp + 1;
    }
  }
  return out;
}

std::string to_string(FetchResult::End end) {
  switch (end) {
    case FetchResult::End::Complete: return "complete";
    case FetchResult::End::ErrorCode: return "error code";
    case FetchResult::End::DeadLink: return "dead link";
    case FetchResult::End::EtagChanged: return "ETag changed";
    case FetchResult::End::Reset: return "reset";
    case FetchResult::End::OutOfTime: return "out of time";
    case FetchResult::End::Protocol: return "protocol error";
    case FetchResult::End::TransportFailed: return "transport failed";
  }
  return "?";
}

CoapFetcher::CoapFetcher(coap::EventLoop& loop, coap::Trace& trace, std::string channel, coap::Credentials client)
    : loop_(loop), context_(loop, std::move(channel), trace), client_(std::move(client)) {}

std::string CoapFetcher::session_key(const CoapUri& uri) {
  return std::string(coap::scheme_of(uri.transport)) + "://" + coap::BoundAddress{uri.host, uri.port}.authority();
}

void CoapFetcher::drop_session(const CoapUri& uri) {
  auto it = sessions_.find(session_key(uri));
  if (it == sessions_.end()) return;
  coap_session_release(it->second);
  sessions_.erase(it);
}

coap_session_t* CoapFetcher::session_for(const CoapUri& uri) {
  auto key = session_key(uri);
  auto it = sessions_.find(key);
  if (it != sessions_.end()) {
    if (coap_session_get_state(it->second) != COAP_SESSION_STATE_NONE) return it->second;
    drop_session(uri);  // a TCP/TLS connection the server closed since: open a new one
  }
  // A plain transport carries no credentials, so one downloader can fetch every scheme.
  auto credentials = coap::is_secure(uri.transport) ? client_ : coap::Credentials{};
  return sessions_[key] = context_.connect(uri.host, uri.port, uri.transport, credentials);
}

std::optional<std::string> CoapFetcher::await_established(const CoapUri& uri, coap_session_t* session,
                                                          const Deadline& deadline) {
  if (uri.transport != coap::Transport::Tcp && uri.transport != coap::Transport::Tls) return std::nullopt;
  // libcoap 4.3.1 holds the first request on a TCP/TLS session until the server's CSM is in,
  // pumping only this context for up to 5 s: a server on the same loop would never answer.
  // So the loop runs, serving both sides, until the session is established.
  auto state = [session] { return coap_session_get_state(session); };
  loop_.await([&] { return state() == COAP_SESSION_STATE_ESTABLISHED || state() == COAP_SESSION_STATE_NONE; },
              deadline);
  if (state() == COAP_SESSION_STATE_ESTABLISHED) return std::nullopt;
  auto scheme = coap::scheme_of(uri.transport);
  auto where = coap::BoundAddress{uri.host, uri.port}.authority();
  if (state() == COAP_SESSION_STATE_NONE)
    return fmt::format("the {} session to {} closed before it was established ({})", scheme, where,
                       uri.transport == coap::Transport::Tls ? "connection refused, or the TLS handshake failed"
                                                             : "connection refused or reset");
  return fmt::format("the {} session to {} was not established within the fetch budget", scheme, where);
}

FetchResult CoapFetcher::fetch(const std::string& uri_text, const FetchOptions& options) {
  auto uri = CoapUri::parse(uri_text);
  FetchResult result;
  coap_session_t* session = nullptr;
  try {
    session = session_for(uri);
  } catch (const std::exception& e) {  // refused credentials, a session libcoap will not open
    result.end = FetchResult::End::TransportFailed;
    result.error = e.what();
    return result;
  }
  Deadline deadline(options.budget);
  if (auto why = await_established(uri, session, deadline)) {
    drop_session(uri);
    result.end = FetchResult::End::TransportFailed;
    result.error = *why;
    return result;
  }
  coap::CoapContext::set_transmission(session, options.ack_timeout_s, options.max_retransmit);
  auto whole = static_cast<std::uint16_t>(options.ack_random_factor);
  auto thousandths = static_cast<std::uint16_t>(std::lround((options.ack_random_factor - whole) * 1000.0));
  coap_session_set_ack_random_factor(session, coap_fixed_point_t{whole, thousandths});

  auto szx = coap::BlockOption::szx_for(options.block_size);
  std::size_t size = std::size_t{1} << (szx + 4);
  if (options.resume_offset % size != 0) {
    result.error = fmt::format("resume offset {} is not a multiple of the block size {}", options.resume_offset, size);
    return result;
  }
  result.first_offset = options.resume_offset;
  std::uint64_t offset = options.resume_offset;
  auto finish = [&](FetchResult::End end, std::string why) {
    result.end = end;
    result.error = std::move(why);
    return result;
  };

  for (;;) {
    coap::OutgoingRequest request;
    request.method = code::Get;
    request.uri_path = uri.path;
    request.uri_query = uri.query;
    request.block2 = coap::BlockOption{static_cast<std::uint32_t>(offset / size), false, szx};
    if (options.ask_size2 && result.requests == 0) request.size2 = 0;
    std::optional<coap::Outcome> got;
    auto token = context_.send(session, request, [&got](const coap::Outcome& o) { got = o; });
    ++result.requests;
    bool block_timer = options.block_timeout.count() > 0 && Clock::now() + options.block_timeout < deadline.when();
    auto wait_until = block_timer ? Deadline(options.block_timeout) : deadline;
    if (!loop_.await([&] { return got.has_value(); }, wait_until)) {
      context_.forget(token);
      drop_session(uri);  // stops libcoap retransmitting the abandoned request
      if (block_timer)
        return finish(FetchResult::End::DeadLink, fmt::format("no answer for block {} within {} ms",
                                                              request.block2->num, options.block_timeout.count()));
      return finish(FetchResult::End::OutOfTime,
                    fmt::format("no answer for block {} within the fetch budget", request.block2->num));
    }
    if (got->kind == coap::Outcome::Kind::Reset) return finish(FetchResult::End::Reset, got->error);
    if (got->kind == coap::Outcome::Kind::Failed) {
      drop_session(uri);  // a failed handshake or lost connection does not come back
      return finish(FetchResult::End::TransportFailed, got->error);
    }
    if (got->kind != coap::Outcome::Kind::Response) return finish(FetchResult::End::DeadLink, got->error);

    const auto& m = got->response;
    result.last_code = m.code;
    if (m.code != code::Content)
      return finish(FetchResult::End::ErrorCode, fmt::format("block {} answered {}", request.block2->num, m.code.str()));
    std::optional<Bytes> etag = m.etags.empty() ? std::nullopt : std::optional<Bytes>(m.etags.front());
    if (!result.etag && result.blocks.empty()) {
      result.etag = etag;
      if (options.if_etag && etag != options.if_etag)
        return finish(FetchResult::End::EtagChanged, "the ETag is not the one the resumption expects");
    } else if (etag != result.etag) {
      return finish(FetchResult::End::EtagChanged,
                    fmt::format("block {} carries another ETag than block {}", request.block2->num,
                                result.blocks.empty() ? 0 : result.blocks.front().num));
    }
    if (!result.size2 && m.size2) result.size2 = m.size2;
    if (!m.block2) {  // the whole body in one response
      if (offset != 0) return finish(FetchResult::End::Protocol, "a later block came back without Block2");
      result.body = m.payload;
      return finish(FetchResult::End::Complete, {});
    }
    if (m.block2->offset() != offset)
      return finish(FetchResult::End::Protocol,
                    fmt::format("asked for offset {}, got block {} (offset {})", offset, m.block2->str(),
                                m.block2->offset()));
    result.blocks.push_back(*m.block2);
    result.body.insert(result.body.end(), m.payload.begin(), m.payload.end());
    if (!m.block2->more) return finish(FetchResult::End::Complete, {});
    if (m.payload.size() != m.block2->size())
      return finish(FetchResult::End::Protocol, fmt::format("block {} is {} B, not {} B, yet more follow",
                                                            m.block2->str(), m.payload.size(), m.block2->size()));
    // Continue at the server's block size when it chose a smaller one (RFC 7959 §2.4).
    szx = std::min(szx, m.block2->szx);
    size = std::size_t{1} << (szx + 4);
    offset += m.payload.size();
  }
}

}  // namespace fc::repository
