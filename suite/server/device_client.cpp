#include "suite/server/device_client.h"

#include <fmt/format.h>

#include "suite/server/reference_server.h"

namespace fc::server {

namespace code = coap::code;
using lwm2m::ContentFormat;
using lwm2m::Path;

std::vector<std::string> Attributes::to_queries() const {
  std::vector<std::string> q;
  if (pmin) q.push_back(fmt::format("pmin={}", *pmin));
  if (pmax) q.push_back(fmt::format("pmax={}", *pmax));
  if (gt) q.push_back(fmt::format("gt={}", *gt));
  if (lt) q.push_back(fmt::format("lt={}", *lt));
  if (st) q.push_back(fmt::format("st={}", *st));
  q.insert(q.end(), removed.begin(), removed.end());
  return q;
}

coap::OutgoingRequest make_request(coap::Code method, const Path& path, const std::string& root) {
  coap::OutgoingRequest r;
  r.method = method;
  // An alternate root ("/lwm2m") prefixes every request path (TS Transport §6.2.1).
  std::size_t start = 0;
  while (start < root.size()) {
    auto end = root.find('/', start);
    if (end == std::string::npos) end = root.size();
    if (end > start) r.uri_path.push_back(root.substr(start, end - start));
    start = end + 1;
  }
  for (auto& s : path.segments()) r.uri_path.push_back(s);
  return r;
}

Registration* DeviceClient::registration() const { return server_.registry().find_by_endpoint(endpoint_); }

bool DeviceClient::registered() const { return registration() != nullptr; }

DeviceFormats DeviceClient::device_formats() const {
  const auto* reg = registration();
  if (!reg) return {};
  return DeviceFormats{reg->lwm2m_version, reg->objects.content_formats};
}

std::optional<ContentFormat> DeviceClient::read_format(const Path& path) const {
  return choose_read_format(path, server_.config().request_formats, device_formats());
}

std::optional<coap::Outcome> DeviceClient::round_trip(const coap::OutgoingRequest& request, std::string& error) {
  // A stopping run sends nothing more: the reply could not be waited for anyway.
  if (fc::wait_interrupted()) {
    error = "not sent: the run is stopping (SIGINT or SIGTERM)";
    return std::nullopt;
  }
  Registration* reg = registration();
  if (!reg) {
    error = "device '" + endpoint_ + "' is not registered";
    return std::nullopt;
  }
  // Queue mode: the request waits in the device's queue until it is reachable.
  if (!server_.await_reachable(endpoint_, error)) return std::nullopt;
  if (!(reg = registration())) {
    error = "device '" + endpoint_ + "' is not registered (it went while the request waited for it to wake)";
    return std::nullopt;
  }
  std::optional<coap::Outcome> got;
  Bytes token;
  try {
    token = server_.context().send(reg->session, request, [&got](const coap::Outcome& o) { got = o; });
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
  auto timeout = server_.config().operation_timeout;
  if (!server_.loop().await([&] { return got.has_value(); }, Deadline(timeout))) {
    server_.context().forget(token);
    error = fmt::format("no response within {} ms", timeout.count());
    return std::nullopt;
  }
  if (got->kind != coap::Outcome::Kind::Response) {
    error = got->error;
    return std::nullopt;
  }
  return got;
}

void DeviceClient::absorb(DmResponse& out, const coap::Message& m) const {
  out.delivered = true;
  out.code = m.code;
  out.content_format = m.content_format;
  out.last = m;
}

void DeviceClient::decode_into(DmResponse& out, const Path& base) {
  if (!out.code.is_success() || out.payload.empty() || !out.content_format) return;
  auto format = static_cast<ContentFormat>(*out.content_format);
  try {
    if (format == ContentFormat::LinkFormat) {
      out.links = lwm2m::parse_link_format(fc::to_string(out.payload));
    } else if (lwm2m::has_codec(format)) {
      out.records = lwm2m::decode(format, base, out.payload);
    }
  } catch (const lwm2m::CodecError& e) {
    out.decode_error = e.what();
  }
}

namespace {
DmResponse named(std::string request, DmResponse response) {
  response.request = std::move(request);
  return response;
}
}  // namespace

DmResponse DeviceClient::exchange(coap::OutgoingRequest request, const Path& base) {
  DmResponse out;
  const auto max_body = server_.config().max_read_body;
  for (;;) {
    auto outcome = round_trip(request, out.error);
    if (!outcome) return out;
    const auto& m = outcome->response;
    absorb(out, m);
    out.payload.insert(out.payload.end(), m.payload.begin(), m.payload.end());
    if (!(m.code.is_success() && m.block2 && m.block2->more)) break;
    if (out.payload.size() > max_body) {
      out.error = fmt::format("body larger than {} bytes: reading stopped", max_body);
      return out;
    }
    // Continue with the block size the device chose (RFC 7959 §2.4).
    request.block2 = coap::BlockOption{m.block2->num + 1, false, m.block2->szx};
    request.observe.reset();
    request.token.reset();
  }
  decode_into(out, base);
  return out;
}

DmResponse DeviceClient::read(const Path& path) { return read(path, read_format(path)); }

DmResponse DeviceClient::read(const Path& path, std::optional<ContentFormat> accept) {
  auto* reg = registration();
  auto request = make_request(code::Get, path, reg ? reg->objects.root : std::string("/"));
  if (accept) request.accept = static_cast<std::uint16_t>(*accept);
  return named("Read " + path.str(), exchange(std::move(request), path));
}

DmResponse DeviceClient::write(const Path& path, const lwm2m::Records& records, const WriteOptions& options) {
  const bool several = records.size() != 1 || records.front().path != path;
  const auto format = choose_write_format(several, server_.config().request_formats, device_formats());
  return write(path, records, format, options);
}

DmResponse DeviceClient::write(const Path& path, const lwm2m::Records& records, ContentFormat format,
                               const WriteOptions& options) {
  Bytes payload = lwm2m::encode(format, path, records);
  return write_raw(path, static_cast<std::uint16_t>(format), payload, options);
}

DmResponse DeviceClient::write_value(const Path& path, const lwm2m::Value& value, ContentFormat format) {
  return write(path, {lwm2m::Record{path, value}}, format);
}

DmResponse DeviceClient::write_raw(const Path& path, std::uint16_t content_format, ByteView payload,
                                   const WriteOptions& options) {
  auto* reg = registration();
  auto request = make_request(options.partial_update ? code::Post : code::Put, path, reg ? reg->objects.root : std::string("/"));
  request.content_format = content_format;
  DmResponse out;
  out.request = (options.partial_update ? "Write (POST) " : "Write ") + path.str();
  if (!options.force_blockwise && payload.size() <= options.block_size) {
    request.payload.assign(payload.begin(), payload.end());
    auto outcome = round_trip(request, out.error);
    if (outcome) absorb(out, outcome->response);
    return out;
  }

  auto szx = coap::BlockOption::szx_for(options.block_size);
  std::size_t offset = 0;
  for (;;) {
    std::size_t size = std::size_t{1} << (szx + 4);
    std::size_t end = std::min(payload.size(), offset + size);
    bool more = end < payload.size();
    coap::BlockOption block{static_cast<std::uint32_t>(offset / size), more, szx};
    request.block1 = block;
    request.size1 = (offset == 0 && options.announce_size1) ? std::optional<std::uint32_t>(
                                                                  static_cast<std::uint32_t>(payload.size()))
                                                            : std::nullopt;
    request.payload.assign(payload.begin() + static_cast<std::ptrdiff_t>(offset),
                           payload.begin() + static_cast<std::ptrdiff_t>(end));
    auto outcome = round_trip(request, out.error);
    if (!outcome) {
      out.error = fmt::format("block {} ({}..{}): {}", block.num, offset, end, out.error);
      return out;
    }
    const auto& m = outcome->response;
    absorb(out, m);
    out.blocks.push_back(BlockExchange{block, m.code, m.block1});
    if (!more) return out;
    if (m.code != code::Continue) {
      out.error = fmt::format("block {} of {} answered {} instead of 2.31 Continue", block.num,
                              (payload.size() + size - 1) / size, m.code.str());
      return out;
    }
    offset = end;
    // The device may ask for smaller blocks in its 2.31 (RFC 7959 §2.5): continue at the same
    // offset with its size.
    if (m.block1 && m.block1->szx < szx) szx = m.block1->szx;
  }
}

DmResponse DeviceClient::write_block(const Path& path, std::uint16_t content_format, ByteView block,
                                     const coap::BlockOption& option) {
  auto* reg = registration();
  auto request = make_request(code::Put, path, reg ? reg->objects.root : std::string("/"));
  request.content_format = content_format;
  request.block1 = option;
  request.payload.assign(block.begin(), block.end());
  DmResponse out;
  out.request = fmt::format("Write {} (Block1 block {})", path.str(), option.num);
  auto outcome = round_trip(request, out.error);
  if (outcome) {
    absorb(out, outcome->response);
    out.blocks.push_back(BlockExchange{option, outcome->response.code, outcome->response.block1});
  }
  return out;
}

DmResponse DeviceClient::execute(const Path& path, const std::string& arguments) {
  auto* reg = registration();
  auto request = make_request(code::Post, path, reg ? reg->objects.root : std::string("/"));
  if (!arguments.empty()) {
    request.payload = to_bytes(arguments);
    request.content_format = static_cast<std::uint16_t>(ContentFormat::Text);
  }
  return named("Execute " + path.str(), exchange(std::move(request), path));
}

DmResponse DeviceClient::discover(const Path& path) {
  auto* reg = registration();
  auto request = make_request(code::Get, path, reg ? reg->objects.root : std::string("/"));
  request.accept = static_cast<std::uint16_t>(ContentFormat::LinkFormat);
  return named("Discover " + path.str(), exchange(std::move(request), path));
}

DmResponse DeviceClient::write_attributes(const Path& path, const Attributes& attributes) {
  auto* reg = registration();
  auto request = make_request(code::Put, path, reg ? reg->objects.root : std::string("/"));
  request.uri_query = attributes.to_queries();
  return named("Write-Attributes " + path.str(), exchange(std::move(request), path));
}

DmResponse DeviceClient::remove(const Path& path) {
  auto* reg = registration();
  return named("Delete " + path.str(), exchange(make_request(code::Delete, path, reg ? reg->objects.root : std::string("/")), path));
}

std::shared_ptr<Observation> DeviceClient::observe(const Path& path) { return observe(path, read_format(path)); }

std::shared_ptr<Observation> DeviceClient::observe(const Path& path, std::optional<ContentFormat> accept) {
  auto* reg = registration();
  auto observation = std::make_shared<Observation>(path, reg ? reg->generation : 0);
  if (!reg) {
    observation->initial_.error = "device '" + endpoint_ + "' is not registered";
    return observation;
  }
  if (std::string why; !server_.await_reachable(endpoint_, why) || !(reg = registration())) {
    observation->initial_.error = why.empty() ? "device '" + endpoint_ + "' is not registered" : why;
    return observation;
  }
  auto request = make_request(code::Get, path, reg->objects.root);
  request.observe = 0;
  if (accept) request.accept = static_cast<std::uint16_t>(*accept);

  std::weak_ptr<Observation> weak = observation;
  auto on_message = [weak, path](const coap::Outcome& o) {
    auto obs = weak.lock();
    if (!obs) return;
    DmResponse content;
    if (o.kind == coap::Outcome::Kind::Response) {
      content.delivered = true;
      content.code = o.response.code;
      content.content_format = o.response.content_format;
      content.payload = o.response.payload;
      content.last = o.response;
      decode_into(content, path);
    } else {
      content.error = o.error;
    }
    if (!obs->answered_) {
      obs->answered_ = true;
      obs->active_ = content.ok() && o.response.observe.has_value();
      obs->initial_ = std::move(content);
      return;
    }
    obs->notifications_.push_back(Notification{o.time, o.response.observe, std::move(content)});
  };
  try {
    observation->token_ = server_.context().send(reg->session, request, on_message, /*persistent=*/true);
  } catch (const std::exception& e) {
    observation->initial_.error = e.what();
    return observation;
  }
  server_.track(observation, endpoint_);
  auto timeout = server_.config().operation_timeout;
  if (!server_.loop().await([&] { return observation->answered_; }, Deadline(timeout))) {
    server_.context().forget(observation->token_);
    observation->initial_.error = fmt::format("no response to Observe within {} ms", timeout.count());
  }
  return observation;
}

DmResponse DeviceClient::cancel_observation(Observation& observation, bool by_reset) {
  server_.context().forget(observation.token_);
  observation.active_ = false;
  DmResponse out;
  if (by_reset) {
    out.error = "cancelled by answering the next notification with RST";
    return out;
  }
  auto* reg = registration();
  auto request = make_request(code::Get, observation.path(), reg ? reg->objects.root : std::string("/"));
  request.observe = 1;
  request.token = observation.token_;
  return exchange(std::move(request), observation.path());
}

}  // namespace fc::server
