// fotacheck-fake-device: a scripted, hostile LwM2M device for the "hostile device" CTest suite
// (issue 14). It speaks CoAP byte by byte over a plain UDP socket, so it can answer the server's
// requests with exactly the bytes a test wants (matching token and message ID), including
// payloads no real client library would produce.
//
// It registers at --server (POST /rd?ep=…&lt=…&lwm2m=1.0&b=U with </1/0>,</3/0>,</5/0>), then
// answers per one behaviour:
//   (default)                       a well-behaved device in Idle: State 0, Update Result 0
//   --answer-read-5 HEX --format CF every Read/Observe of /5/0, /5/0/3 or /5/0/5 gets 2.05 with
//                                   Content-Format CF and exactly these bytes ("" = empty body)
//   --all-5-00                      every request after the registration gets 5.00
//   --silent-after-register         no request after the registration gets any answer
//   --deregister-on-instance-read   a Read of /5/0 makes it deregister (DELETE) and go silent
//   --freeze-after-register         it stops itself (SIGSTOP) once registered: a hung board
// --send HEX --send-format CF: once State /5/0/3 is observed, it reports with LwM2M 1.1 Send,
// POST /dp with Content-Format CF and exactly these bytes (a malformed report, issue 20).
// --queue-mode registers with b=UQ (queue mode) and never sends an Update: a device that never wakes.
// --register-size BYTES pads the Register's link list with </3303/N> links to at least BYTES, in
// one datagram without Block1 (issue 14 item 8).
// --pid-file FILE gets its process ID once registered. It ends by itself when the runner that
// started it is gone, unless --outlive-runner (for the tests that check the runner stops it).
// --record FILE appends one line per new request ("GET /5/0/3 Observe:0"), retransmissions
// excluded, so a test can count how many requests a run made without timing anything.
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/integration/malformed_peer/raw_peer.h"

namespace {

using fc::Bytes;
using fc::testing::RawMessage;
using fc::testing::RawOption;

// CoAP numbers used here (RFC 7252 §12, RFC 7641).
constexpr std::uint8_t kCon = 0, kAck = 2, kRst = 3;
constexpr std::uint8_t kGet = 1, kPost = 2, kPut = 3, kDelete = 4;
constexpr std::uint8_t code_of(int klass, int detail) { return static_cast<std::uint8_t>(klass << 5 | detail); }
constexpr std::uint8_t kCreated = code_of(2, 1), kDeleted = code_of(2, 2), kChanged = code_of(2, 4),
                       kContent = code_of(2, 5), kNotFound = code_of(4, 4), kMethodNotAllowed = code_of(4, 5),
                       kInternalError = code_of(5, 0);
constexpr std::uint16_t kObserve = 6, kUriPath = 11, kContentFormat = 12, kUriQuery = 15, kAccept = 17;
constexpr std::uint16_t kText = 0, kTlv = 11542;

enum class Behaviour { WellBehaved, AnswerRead5, All500, SilentAfterRegister, DeregisterOnInstanceRead, Freeze };

struct Options {
  std::string server_host = "127.0.0.1";
  std::string server_port = "5683";
  std::string endpoint = "fake-device";
  unsigned lifetime = 300;
  Behaviour behaviour = Behaviour::WellBehaved;
  Bytes read5_payload;
  std::uint16_t read5_format = kTlv;
  std::string record_file;
  std::size_t register_size = 0;
  std::string pid_file;
  bool outlive_runner = false;
  std::optional<Bytes> send_payload;
  bool queue_mode = false;  // --queue-mode: registers with b=UQ and never sends an Update
  std::uint16_t send_format = 112;  // SenML CBOR
};

[[noreturn]] void usage_error(const std::string& what) {
  std::cerr << "fotacheck-fake-device: " << what
            << "\nusage: fotacheck-fake-device --server coap://HOST:PORT --endpoint NAME [--lifetime S]\n"
               "         [--answer-read-5 HEX --format CF | --all-5-00 | --silent-after-register |\n"
               "          --deregister-on-instance-read | --freeze-after-register] [--register-size BYTES] [--record FILE]\n"
               "         [--pid-file FILE] [--outlive-runner] [--send HEX [--send-format CF]] [--queue-mode]\n";
  std::exit(2);
}

Bytes parse_hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text)
    if (c != ' ' && c != ':') digits += c;
  if (digits.size() % 2 != 0) usage_error("--answer-read-5: odd number of hex digits in '" + text + "'");
  for (std::size_t i = 0; i < digits.size(); i += 2) {
    char* end = nullptr;
    std::string pair = digits.substr(i, 2);
    long v = std::strtol(pair.c_str(), &end, 16);
    if (*end != '\0') usage_error("--answer-read-5: '" + pair + "' is not hex (at digit " + std::to_string(i) + ")");
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

unsigned parse_number(const std::string& option, const std::string& text, unsigned max) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v > max) usage_error(option + ": '" + text + "' is not a number 0.." + std::to_string(max));
  return static_cast<unsigned>(v);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--server") {
      std::string uri = value();
      const std::string scheme = "coap://";
      if (uri.rfind(scheme, 0) != 0) usage_error("--server: only coap:// URIs, got '" + uri + "'");
      std::string rest = uri.substr(scheme.size());
      if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
      auto colon = rest.rfind(':');
      if (colon == std::string::npos) usage_error("--server: no port in '" + uri + "'");
      o.server_host = rest.substr(0, colon);
      o.server_port = rest.substr(colon + 1);
      if (o.server_host.size() > 2 && o.server_host.front() == '[') o.server_host = o.server_host.substr(1, o.server_host.size() - 2);
    } else if (arg == "--endpoint") {
      o.endpoint = value();
    } else if (arg == "--lifetime") {
      o.lifetime = parse_number(arg, value(), 86400);
    } else if (arg == "--answer-read-5") {
      o.behaviour = Behaviour::AnswerRead5;
      o.read5_payload = parse_hex(value());
    } else if (arg == "--format") {
      o.read5_format = static_cast<std::uint16_t>(parse_number(arg, value(), 65535));
    } else if (arg == "--queue-mode") {
      o.queue_mode = true;
    } else if (arg == "--send") {
      o.send_payload = parse_hex(value());
    } else if (arg == "--send-format") {
      o.send_format = static_cast<std::uint16_t>(parse_number(arg, value(), 65535));
    } else if (arg == "--all-5-00") {
      o.behaviour = Behaviour::All500;
    } else if (arg == "--silent-after-register") {
      o.behaviour = Behaviour::SilentAfterRegister;
    } else if (arg == "--freeze-after-register") {
      o.behaviour = Behaviour::Freeze;
    } else if (arg == "--deregister-on-instance-read") {
      o.behaviour = Behaviour::DeregisterOnInstanceRead;
    } else if (arg == "--register-size") {
      o.register_size = parse_number(arg, value(), 60000);
    } else if (arg == "--pid-file") {
      o.pid_file = value();
    } else if (arg == "--outlive-runner") {
      o.outlive_runner = true;
    } else if (arg == "--record") {
      o.record_file = value();
    } else {
      usage_error("unknown option '" + arg + "'");
    }
  }
  return o;
}

std::vector<std::string> strings_of(const RawMessage& m, std::uint16_t number) {
  std::vector<std::string> out;
  for (const auto& [n, v] : m.options)
    if (n == number) out.push_back(fc::to_string(v));
  return out;
}

std::optional<std::uint32_t> uint_of(const RawMessage& m, std::uint16_t number) {
  for (const auto& [n, v] : m.options)
    if (n == number) {
      std::uint32_t out = 0;
      for (auto b : v) out = out << 8 | b;
      return out;
    }
  return std::nullopt;
}

std::string path_of(const RawMessage& m) {
  std::string out;
  for (const auto& segment : strings_of(m, kUriPath)) out += "/" + segment;
  return out.empty() ? "/" : out;
}

// One TLV "resource with value" entry (TS Core §7.4.3): identifier < 256, value < 256 bytes.
void append_tlv_resource(Bytes& out, std::uint8_t id, const Bytes& value) {
  std::uint8_t type = 0xC0;  // resource with value, 8-bit identifier
  if (value.size() < 8) {
    out.push_back(static_cast<std::uint8_t>(type | value.size()));
    out.push_back(id);
  } else {
    out.push_back(static_cast<std::uint8_t>(type | 0x08));  // 8-bit length field
    out.push_back(id);
    out.push_back(static_cast<std::uint8_t>(value.size()));
  }
  out.insert(out.end(), value.begin(), value.end());
}

class FakeDevice {
 public:
  explicit FakeDevice(Options options) : o_(std::move(options)) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(o_.server_host.c_str(), o_.server_port.c_str(), &hints, &found); rc != 0)
      throw std::runtime_error("cannot resolve " + o_.server_host + ":" + o_.server_port + ": " + ::gai_strerror(rc));
    fd_ = ::socket(found->ai_family, SOCK_DGRAM, 0);
    if (fd_ < 0 || ::connect(fd_, found->ai_addr, found->ai_addrlen) != 0) {
      std::string error = std::strerror(errno);
      ::freeaddrinfo(found);
      throw std::runtime_error("cannot open a UDP socket to " + o_.server_host + ":" + o_.server_port + ": " + error);
    }
    ::freeaddrinfo(found);
    if (!o_.record_file.empty()) record_.open(o_.record_file, std::ios::app);
  }
  ~FakeDevice() { ::close(fd_); }
  FakeDevice(const FakeDevice&) = delete;
  FakeDevice& operator=(const FakeDevice&) = delete;

  int run() {
    if (!register_once()) return 1;
    // A runner that dies without stopping its device must not leave this one behind: once
    // re-parented, it ends (checked every second).
    if (!o_.pid_file.empty()) std::ofstream(o_.pid_file) << ::getpid() << "\n";
    if (o_.behaviour == Behaviour::Freeze) {
      std::cerr << "fake device: freezing (SIGSTOP)" << std::endl;
      ::raise(SIGSTOP);
    }
    const pid_t parent = ::getppid();
    while (o_.outlive_runner || ::getppid() == parent) {
      auto datagram = receive(1000);
      if (datagram) handle(*datagram);
      if (send_due_) send_report();
    }
    std::cerr << "fake device: the runner is gone; stopping\n";
    return 0;
  }

 private:
  Options o_;
  int fd_ = -1;
  std::ofstream record_;
  std::uint16_t next_mid_ = 0x4100;
  std::string location_;             // "/rd/…" from the registration's Location-Path
  std::map<std::uint16_t, Bytes> answered_;  // message ID -> answer sent (for retransmissions)
  std::set<std::uint16_t> recorded_;         // message IDs already logged (unanswered ones come again)
  bool silent_ = false;
  std::uint32_t observe_sequence_ = 2;
  bool send_due_ = false;  // --send: State was observed, the report goes out next

  void send_report() {
    send_due_ = false;
    std::vector<RawOption> options{{kUriPath, fc::to_bytes("dp")},
                                   {kContentFormat, fc::testing::uint_value(o_.send_format)}};
    auto reply = request(kPost, options, *o_.send_payload, 3);
    std::cerr << "fake device: Send POST /dp answered "
              << (reply ? std::to_string(reply->code >> 5) + "." + std::to_string(reply->code & 31) : "nothing") << "\n";
  }

  void send(const Bytes& datagram) {
    if (::send(fd_, datagram.data(), datagram.size(), 0) < 0)
      std::cerr << "fake device: send: " << std::strerror(errno) << "\n";
  }

  // One datagram within timeout_ms (-1: no limit), or nullopt.
  std::optional<RawMessage> receive(int timeout_ms) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return std::nullopt;
    std::uint8_t buffer[4096];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return std::nullopt;
    std::string why;
    auto m = fc::testing::decode_datagram(fc::ByteView(buffer, static_cast<std::size_t>(n)), &why);
    if (!m) std::cerr << "fake device: undecodable datagram from the server: " << why << "\n";
    return m;
  }

  // A confirmable request of our own, retransmitted every second until its ACK arrives; requests
  // from the server that arrive meanwhile are handled as usual.
  std::optional<RawMessage> request(std::uint8_t code, std::vector<RawOption> options, const Bytes& payload,
                                    int attempts) {
    const std::uint16_t mid = next_mid_++;
    const Bytes token{0xFD, static_cast<std::uint8_t>(mid >> 8), static_cast<std::uint8_t>(mid)};
    const Bytes datagram = fc::testing::encode_datagram(kCon, code, mid, token, std::move(options), payload);
    for (int attempt = 0; attempt < attempts; ++attempt) {
      send(datagram);
      const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      while (std::chrono::steady_clock::now() < until) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        auto m = receive(static_cast<int>(left.count()) + 1);
        if (!m) continue;
        if (m->type == kAck && m->message_id == mid) return m;
        handle(*m);
      }
    }
    return std::nullopt;
  }

  bool register_once() {
    std::vector<RawOption> options{{kUriPath, fc::to_bytes("rd")}, {kContentFormat, fc::testing::uint_value(40)}};
    for (const auto& q : {"ep=" + o_.endpoint, "lt=" + std::to_string(o_.lifetime), std::string("lwm2m=1.0"),
                          std::string(o_.queue_mode ? "b=UQ" : "b=U")})
      options.emplace_back(kUriQuery, fc::to_bytes(q));
    std::string links = "</1/0>,</3/0>,</5/0>";
    for (unsigned i = 0; links.size() < o_.register_size; ++i) links += ",</3303/" + std::to_string(i) + ">";
    auto reply = request(kPost, options, fc::to_bytes(links), 30);
    if (!reply || reply->code != kCreated) {
      std::cerr << "fake device: the server did not accept the registration\n";
      return false;
    }
    for (const auto& segment : reply->location_path()) location_ += "/" + segment;
    std::cerr << "fake device: registered as " << o_.endpoint << " at " << location_ << "\n";
    return true;
  }

  void deregister() {
    std::vector<RawOption> options;
    std::string rest = location_;
    while (!rest.empty()) {
      rest.erase(0, 1);
      auto slash = rest.find('/');
      options.emplace_back(kUriPath, fc::to_bytes(rest.substr(0, slash)));
      rest = slash == std::string::npos ? "" : rest.substr(slash);
    }
    silent_ = true;  // from here on nothing is answered, as from a device that left
    auto reply = request(kDelete, options, {}, 3);
    std::cerr << "fake device: deregistered" << (reply && reply->code == kDeleted ? "" : " (no 2.02 came back)")
              << "\n";
  }

  void answer(const RawMessage& m, std::uint8_t code, std::vector<RawOption> options = {}, const Bytes& payload = {}) {
    Bytes datagram = fc::testing::encode_datagram(kAck, code, m.message_id, m.token, std::move(options), payload);
    answered_[m.message_id] = datagram;
    send(datagram);
  }

  void handle(const RawMessage& m) {
    if (m.type != kCon) return;  // ACKs of our own requests outside request(), RSTs, NONs
    if (m.code == 0) {           // CoAP ping
      send(fc::testing::encode_datagram(kRst, 0, m.message_id, {}, {}));
      return;
    }
    if (auto again = answered_.find(m.message_id); again != answered_.end()) {
      send(again->second);  // a retransmission: the same answer again (RFC 7252 §4.5)
      return;
    }
    const std::string path = path_of(m);
    const auto observe = uint_of(m, kObserve);
    if (recorded_.insert(m.message_id).second) {
      static const char* const methods[] = {"EMPTY", "GET", "POST", "PUT", "DELETE", "FETCH", "PATCH", "iPATCH"};
      std::string line = (m.code < 8 ? methods[m.code] : "CODE" + std::to_string(m.code)) + " " + path;
      if (observe) line += " Observe:" + std::to_string(*observe);
      std::cerr << "fake device: <- " << line << " mid=" << m.message_id << "\n";
      if (record_.is_open()) record_ << line << std::endl;
    }
    if (silent_ || o_.behaviour == Behaviour::SilentAfterRegister) return;
    if (o_.behaviour == Behaviour::All500) return answer(m, kInternalError);
    if (m.code == kGet && path == "/5/0" && o_.behaviour == Behaviour::DeregisterOnInstanceRead) return deregister();
    std::vector<RawOption> options;
    if (observe && *observe == 0) options.emplace_back(kObserve, fc::testing::uint_value(observe_sequence_++));
    if (observe && *observe == 0 && path == "/5/0/3" && o_.send_payload) send_due_ = true;
    if (m.code == kGet && o_.behaviour == Behaviour::AnswerRead5 &&
        (path == "/5/0" || path == "/5/0/3" || path == "/5/0/5")) {
      options.emplace_back(kContentFormat, fc::testing::uint_value(o_.read5_format));
      return answer(m, kContent, options, o_.read5_payload);
    }
    answer_well(m, path, std::move(options));
  }

  // A device in Idle with nothing downloaded: what the fixture needs to reach a case's body.
  void answer_well(const RawMessage& m, const std::string& path, std::vector<RawOption> options) {
    static const std::map<std::string, std::string> values{
        {"/5/0/3", "0"}, {"/5/0/5", "0"}, {"/5/0/9", "0"}, {"/5/0/6", ""}, {"/5/0/7", ""},
        {"/3/0/3", "1.0"}};
    const bool write_attributes = m.code == kPut && !strings_of(m, kUriQuery).empty() && m.payload.empty();
    if (m.code == kGet) {
      const auto accept = uint_of(m, kAccept);
      if (path == "/5/0") {
        Bytes tlv;
        append_tlv_resource(tlv, 3, {0});
        append_tlv_resource(tlv, 5, {0});
        append_tlv_resource(tlv, 9, {0});  // Delivery Method: pull only; no /5/0/8 means CoAP (ETS C.8)
        options.emplace_back(kContentFormat, fc::testing::uint_value(kTlv));
        return answer(m, kContent, options, tlv);
      }
      if (path == "/5/0/0") return answer(m, kMethodNotAllowed);  // Package is write-only
      auto value = values.find(path);
      if (value == values.end()) return answer(m, kNotFound);
      if (accept && *accept == kTlv) {
        Bytes tlv;
        auto id = static_cast<std::uint8_t>(std::stoi(path.substr(path.rfind('/') + 1)));
        append_tlv_resource(tlv, id, fc::to_bytes(value->second));
        options.emplace_back(kContentFormat, fc::testing::uint_value(kTlv));
        return answer(m, kContent, options, tlv);
      }
      options.emplace_back(kContentFormat, fc::testing::uint_value(kText));
      return answer(m, kContent, options, fc::to_bytes(value->second));
    }
    if (write_attributes) return answer(m, kChanged);
    // Writes that reset an Idle device to Idle, and a Reboot; Update in Idle is refused (ETS 772).
    if ((path == "/5/0/0" || path == "/5/0/1") && (m.code == kPut || m.code == kPost)) return answer(m, kChanged);
    if (path == "/3/0/4" && m.code == kPost) return answer(m, kChanged);
    answer(m, kMethodNotAllowed);
  }
};

}  // namespace

int main(int argc, char** argv) {
  try {
    FakeDevice device(parse_options(argc, argv));
    return device.run();
  } catch (const std::exception& e) {
    std::cerr << "fotacheck-fake-device: " << e.what() << "\n";
    return 1;
  }
}
