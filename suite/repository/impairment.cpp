#include "suite/repository/impairment.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

namespace fc::repository {

namespace {

struct Spec {
  ImpairmentKind kind;
  std::optional<Position::Unit> unit;  // for the "-at-block"/"-at-byte" families
};

// Every text name and what it makes; the table is the grammar's vocabulary.
const std::map<std::string_view, Spec>& names() {
  using U = Position::Unit;
  static const std::map<std::string_view, Spec> table{
      {"drop-after-block", {ImpairmentKind::DropAfter, U::Block}},
      {"drop-after-byte", {ImpairmentKind::DropAfter, U::Byte}},
      {"stall", {ImpairmentKind::Stall, std::nullopt}},
      {"loss", {ImpairmentKind::Loss, std::nullopt}},
      {"delay", {ImpairmentKind::Delay, std::nullopt}},
      {"bandwidth", {ImpairmentKind::Bandwidth, std::nullopt}},
      {"error-at-block", {ImpairmentKind::ErrorAt, U::Block}},
      {"error-at-byte", {ImpairmentKind::ErrorAt, U::Byte}},
      {"etag-change-at-block", {ImpairmentKind::EtagChangeAt, U::Block}},
      {"etag-change-at-byte", {ImpairmentKind::EtagChangeAt, U::Byte}},
      {"content-change-at-block", {ImpairmentKind::ContentChangeAt, U::Block}},
      {"content-change-at-byte", {ImpairmentKind::ContentChangeAt, U::Byte}},
      {"announce-size", {ImpairmentKind::AnnounceSize, std::nullopt}},
      {"max-block", {ImpairmentKind::MaxBlock, std::nullopt}},
      {"http-close-after", {ImpairmentKind::HttpCloseAfter, std::nullopt}},
      {"http-lying-length", {ImpairmentKind::HttpLyingLength, std::nullopt}},
      {"ack-then-silence-at-block", {ImpairmentKind::AckThenSilence, U::Block}},
      {"ack-then-silence-at-byte", {ImpairmentKind::AckThenSilence, U::Byte}},
      {"weak-etag", {ImpairmentKind::WeakEtag, std::nullopt}},
  };
  return table;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parsing state for one text form, so every error names the whole form and the bad part.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw ImpairmentError(fmt::format("impairment \"{}\": {}", text_, what));
  }

  std::uint64_t whole(std::string_view s, std::string_view what) const {
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size())
      fail(fmt::format("{} '{}' is not a whole number", what, s));
    return v;
  }

  std::int64_t signed_whole(std::string_view s, std::string_view what) const {
    bool negative = !s.empty() && s.front() == '-';
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
    auto v = whole(s, what);
    if (v > static_cast<std::uint64_t>(INT64_MAX)) fail(fmt::format("{} '{}' is too large", what, s));
    return negative ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v);
  }

  Duration duration(std::string_view s) const {
    std::string_view number = s;
    double scale = 0;
    if (s.size() > 2 && s.substr(s.size() - 2) == "ms") {
      number = s.substr(0, s.size() - 2);
      scale = 1;
    } else if (s.size() > 1 && s.back() == 's') {
      number = s.substr(0, s.size() - 1);
      scale = 1000;
    } else {
      fail(fmt::format("duration '{}' needs a unit: ms or s", s));
    }
    double v = 0;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || v < 0 ||
        !std::isfinite(v))
      fail(fmt::format("duration '{}' is not a non-negative number of ms or s", s));
    return Duration(static_cast<Duration::rep>(std::llround(v * scale)));
  }

  double rate(std::string_view s) const {
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || !(v >= 0.0 && v <= 1.0))
      fail(fmt::format("rate '{}' is not a number from 0 to 1", s));
    return v;
  }

  coap::Code code(std::string_view s) const {
    std::uint64_t cls = 0;
    std::uint64_t detail = 0;
    if (auto dot = s.find('.'); dot != std::string_view::npos) {
      cls = whole(s.substr(0, dot), "code class");
      detail = whole(s.substr(dot + 1), "code detail");
    } else {
      auto status = whole(s, "code");
      cls = status / 100;
      detail = status % 100;
    }
    if ((cls != 4 && cls != 5) || detail > 31)
      fail(fmt::format("code '{}' is not a 4.xx/5.xx CoAP code or a 4xx/5xx HTTP status with a CoAP twin", s));
    return coap::Code(static_cast<std::uint8_t>(cls), static_cast<std::uint8_t>(detail));
  }

 private:
  std::string_view text_;
};

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    auto end = s.find(separator, start);
    parts.push_back(trim(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start)));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string duration_text(Duration d) {
  if (d.count() != 0 && d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

std::string unit_text(Position::Unit unit) { return unit == Position::Unit::Block ? "block" : "byte"; }

}  // namespace

Impairment parse_impairment(std::string_view text) {
  text = trim(text);
  Parser p(text);
  auto colon = text.find(':');
  auto name = trim(text.substr(0, colon));
  auto found = names().find(name);
  if (found == names().end()) p.fail(fmt::format("unknown impairment '{}'", name));
  Impairment imp;
  imp.kind = found->second.kind;
  // The one form without arguments.
  if (imp.kind == ImpairmentKind::WeakEtag) {
    if (colon != std::string_view::npos) p.fail("weak-etag takes no arguments");
    return imp;
  }
  if (colon == std::string_view::npos) p.fail("missing ':' and arguments");
  auto args = split(text.substr(colon + 1), ',');
  // The first argument is positional for every form except stall and loss.
  auto positional = [&]() -> std::string_view {
    if (args.front().find('=') != std::string_view::npos) p.fail("the first argument must be a plain value");
    return args.front();
  };
  // key=value arguments after the positional one (or all of them for stall and loss).
  std::map<std::string_view, std::string_view> keyed;
  std::vector<std::string_view> flags;
  bool has_positional = imp.kind != ImpairmentKind::Stall && imp.kind != ImpairmentKind::Loss;
  for (std::size_t i = has_positional ? 1 : 0; i < args.size(); ++i) {
    auto eq = args[i].find('=');
    if (eq == std::string_view::npos) {
      flags.push_back(args[i]);
      continue;
    }
    auto key = trim(args[i].substr(0, eq));
    if (!keyed.emplace(key, trim(args[i].substr(eq + 1))).second)
      p.fail(fmt::format("'{}' given twice", key));
  }
  auto allow = [&](std::initializer_list<std::string_view> keys, std::initializer_list<std::string_view> allowed_flags) {
    for (const auto& [key, value] : keyed)
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) p.fail(fmt::format("unexpected argument '{}'", key));
    for (auto flag : flags)
      if (std::find(allowed_flags.begin(), allowed_flags.end(), flag) == allowed_flags.end())
        p.fail(fmt::format("unexpected argument '{}'", flag));
  };
  auto required = [&](std::string_view key) {
    auto it = keyed.find(key);
    if (it == keyed.end()) p.fail(fmt::format("missing '{}='", key));
    return it->second;
  };

  switch (imp.kind) {
    case ImpairmentKind::DropAfter:
      allow({}, {"once"});
      imp.at = Position{*found->second.unit, p.whole(positional(), "position")};
      imp.once = !flags.empty();
      if (imp.once && imp.at.unit != Position::Unit::Byte) p.fail("'once' is for drop-after-byte (HTTP) only");
      break;
    case ImpairmentKind::EtagChangeAt:
    case ImpairmentKind::ContentChangeAt:
    case ImpairmentKind::AckThenSilence:
      allow({}, {});
      imp.at = Position{*found->second.unit, p.whole(positional(), "position")};
      break;
    case ImpairmentKind::ErrorAt:
      allow({"code"}, {"once"});
      imp.at = Position{*found->second.unit, p.whole(positional(), "position")};
      imp.code = p.code(required("code"));
      imp.once = !flags.empty();
      break;
    case ImpairmentKind::Stall: {
      allow({"block", "byte", "for"}, {});
      bool block = keyed.count("block") != 0;
      if (block == (keyed.count("byte") != 0)) p.fail("give exactly one of 'block=' and 'byte='");
      imp.at = block ? Position{Position::Unit::Block, p.whole(keyed["block"], "block")}
                     : Position{Position::Unit::Byte, p.whole(keyed["byte"], "byte")};
      imp.duration = p.duration(required("for"));
      break;
    }
    case ImpairmentKind::Loss:
      allow({"rate", "seed"}, {});
      imp.rate = p.rate(required("rate"));
      imp.seed = keyed.count("seed") ? static_cast<std::uint32_t>(p.whole(keyed["seed"], "seed")) : 1;
      break;
    case ImpairmentKind::Delay:
      allow({}, {});
      imp.duration = p.duration(positional());
      break;
    case ImpairmentKind::AnnounceSize:
    case ImpairmentKind::HttpCloseAfter:
      allow({}, {});
      imp.bytes = p.whole(positional(), "byte count");
      break;
    case ImpairmentKind::Bandwidth:
      allow({}, {});
      imp.bytes = p.whole(positional(), "bits per second");
      if (imp.bytes == 0) p.fail("a bandwidth of 0 bits per second carries nothing");
      break;
    case ImpairmentKind::MaxBlock:
      allow({}, {});
      imp.bytes = p.whole(positional(), "block size");
      if (imp.bytes < 16 || imp.bytes > 1024 || (imp.bytes & (imp.bytes - 1)) != 0)
        p.fail(fmt::format("block size {} is not a power of two from 16 to 1024", imp.bytes));
      break;
    case ImpairmentKind::HttpLyingLength:
      allow({}, {});
      imp.length_delta = p.signed_whole(positional(), "length difference");
      break;
    case ImpairmentKind::WeakEtag: break;  // returned above
  }
  return imp;
}

std::vector<Impairment> parse_impairments(std::string_view list) {
  std::vector<Impairment> out;
  for (auto part : split(list, ';'))
    if (!part.empty()) out.push_back(parse_impairment(part));
  return out;
}

std::string Impairment::describe() const {
  auto at_form = [this](std::string_view family) {
    return fmt::format("{}-{}:{}", family, unit_text(at.unit), at.value);
  };
  switch (kind) {
    case ImpairmentKind::DropAfter: return at_form("drop-after") + (once ? ",once" : "");
    case ImpairmentKind::Stall:
      return fmt::format("stall:{}={},for={}", unit_text(at.unit), at.value, duration_text(duration));
    case ImpairmentKind::Loss: return fmt::format("loss:rate={},seed={}", rate, seed);
    case ImpairmentKind::Delay: return "delay:" + duration_text(duration);
    case ImpairmentKind::Bandwidth: return fmt::format("bandwidth:{}", bytes);
    case ImpairmentKind::ErrorAt:
      return at_form("error-at") + ",code=" + code.number() + (once ? ",once" : "");
    case ImpairmentKind::EtagChangeAt: return at_form("etag-change-at");
    case ImpairmentKind::ContentChangeAt: return at_form("content-change-at");
    case ImpairmentKind::AnnounceSize: return fmt::format("announce-size:{}", bytes);
    case ImpairmentKind::MaxBlock: return fmt::format("max-block:{}", bytes);
    case ImpairmentKind::HttpCloseAfter: return fmt::format("http-close-after:{}", bytes);
    case ImpairmentKind::HttpLyingLength: return fmt::format("http-lying-length:{:+}", length_delta);
    case ImpairmentKind::AckThenSilence: return at_form("ack-then-silence-at");
    case ImpairmentKind::WeakEtag: return "weak-etag";
  }
  return "?";
}

std::string describe(const std::vector<Impairment>& impairments) {
  std::string out;
  for (const auto& imp : impairments) out += (out.empty() ? "" : ";") + imp.describe();
  return out;
}

bool Impairment::applies_to(Transport transport) const {
  switch (kind) {
    case ImpairmentKind::Loss:
    case ImpairmentKind::Bandwidth:
    case ImpairmentKind::MaxBlock:
    case ImpairmentKind::AckThenSilence: return transport == Transport::Coap;
    case ImpairmentKind::HttpCloseAfter:
    case ImpairmentKind::HttpLyingLength:
    case ImpairmentKind::WeakEtag: return transport == Transport::Http;
    case ImpairmentKind::Delay:
    case ImpairmentKind::AnnounceSize: return true;
    case ImpairmentKind::DropAfter:
    case ImpairmentKind::Stall:
    case ImpairmentKind::ErrorAt:
    case ImpairmentKind::EtagChangeAt:
    case ImpairmentKind::ContentChangeAt:
      // HTTP has no blocks: only byte positions mean something there.
      return transport == Transport::Coap || at.unit == Position::Unit::Byte;
  }
  return false;
}

bool Impairment::on_wire() const {
  return kind == ImpairmentKind::DropAfter || kind == ImpairmentKind::Stall || kind == ImpairmentKind::Loss ||
         kind == ImpairmentKind::Delay || kind == ImpairmentKind::AckThenSilence || kind == ImpairmentKind::Bandwidth;
}

}  // namespace fc::repository
