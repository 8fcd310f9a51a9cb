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
  constexpr std::string_view scheme = "coap://";
  if (uri.substr(0, scheme.size()) != scheme) fail("only coap:// is fetched");
  auto rest = uri.substr(scheme.size());
  auto slash = rest.find_first_of("/?");
  auto authority = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  CoapUri out;
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
  }
  return "?";
}

CoapFetcher::CoapFetcher(coap::EventLoop& loop, coap::Trace& trace, std::string channel)
    : loop_(loop), context_(loop, std::move(channel), trace) {}

void CoapFetcher::drop_session(const CoapUri& uri) {
  auto it = sessions_.find(coap::BoundAddress{uri.host, uri.port}.authority());
  if (it == sessions_.end()) return;
  coap_session_release(it->second);
  sessions_.erase(it);
}

coap_session_t* CoapFetcher::session_for(const CoapUri& uri) {
  auto key = coap::BoundAddress{uri.host, uri.port}.authority();
  auto it = sessions_.find(key);
  if (it != sessions_.end()) return it->second;
  return sessions_[key] = context_.connect(uri.host, uri.port);
}

FetchResult CoapFetcher::fetch(const std::string& uri_text, const FetchOptions& options) {
  auto uri = CoapUri::parse(uri_text);
  auto* session = session_for(uri);
  coap::CoapContext::set_transmission(session, options.ack_timeout_s, options.max_retransmit);
  auto whole = static_cast<std::uint16_t>(options.ack_random_factor);
  auto thousandths = static_cast<std::uint16_t>(std::lround((options.ack_random_factor - whole) * 1000.0));
  coap_session_set_ack_random_factor(session, coap_fixed_point_t{whole, thousandths});
  Deadline deadline(options.budget);

  FetchResult result;
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
