// Transfer throughput against libcoap's own programs, measured in the same run:
// - pull: 1 MiB over CoAP Block2 (1024 B) from the fotacheck repository and from libcoap's
//   coap-server serving the same bytes, with the same downloader (fc::repository::CoapFetcher);
// - push: 1 MiB over Block1 (1024 B) from the reference server (DeviceClient::write_raw) to a
//   libcoap device, and coap-client PUT to coap-server.
// Prints each median and the ratio fotacheck / libcoap (goal: at most 1.1). See bench/README.md.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <coap3/coap.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>

#include "bench/coap_baseline.h"
#include "suite/lwm2m/path.h"
#include "suite/repository/coap_fetcher.h"
#include "suite/repository/firmware_repository.h"
#include "suite/server/reference_server.h"

namespace fc::bench {
namespace {

constexpr std::size_t kPackageSize = 1024 * 1024;
constexpr std::size_t kBlockSize = 1024;

Bytes package_bytes() {
  Bytes out(kPackageSize);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>((i * 131) ^ (i >> 10));
  return out;
}

// What every benchmark shares: the package, its file, and the libcoap baseline programs.
struct Environment {
  Bytes package = package_bytes();
  std::string file;
  std::string coap_client;
  std::unique_ptr<CoapServerProcess> coap_server;

  Environment() {
    char name[] = "/tmp/fotacheck-bench-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file for the package");
    ::close(fd);
    file = name;
    std::ofstream(file, std::ios::binary).write(reinterpret_cast<const char*>(package.data()),
                                                static_cast<std::streamsize>(package.size()));
    coap_client = find_program({"coap-client", "coap-client-notls", "coap-client-gnutls", "coap-client-openssl"});
    // The notls flavour listens on one port only (the others add port+1 for DTLS).
    auto server = find_program({"coap-server-notls", "coap-server", "coap-server-gnutls", "coap-server-openssl"});
    if (coap_client.empty() || server.empty())
      throw std::runtime_error("libcoap's coap-client/coap-server not found (Debian package libcoap3-bin)");
    coap_server = std::make_unique<CoapServerProcess>(server);
    // coap-server's dynamic resources (-d) are created by a PUT; the body is then served back.
    if (run_program({coap_client, "-m", "put", "-b", std::to_string(kBlockSize), "-f", file,
                     coap_server->uri("/fw/big.bin")}, 30'000) != 0)
      throw std::runtime_error("coap-client could not PUT the package to coap-server");
  }
  ~Environment() { ::unlink(file.c_str()); }
};

Environment* env = nullptr;

repository::FetchOptions fetch_options() {
  repository::FetchOptions o;
  o.block_size = kBlockSize;
  o.budget = Duration(60'000);
  return o;
}

void pull(benchmark::State& state, repository::CoapFetcher& fetcher, const std::string& uri) {
  for (auto _ : state) {
    auto got = fetcher.fetch(uri, fetch_options());
    if (!got.complete() || got.body != env->package) {
      state.SkipWithError(("pull from " + uri + " failed: " + got.error).c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPackageSize));
}

void BM_PullFotacheckRepository(benchmark::State& state) {
  coap::EventLoop loop;
  coap::Trace trace;
  repository::RepositoryConfig config;
  config.http = false;
  repository::FirmwareRepository repository(loop, trace, config);
  repository::CoapFetcher fetcher(loop, trace);
  auto published = repository.publish("/fw/big.bin", env->package);
  pull(state, fetcher, published.coap_uri);
}

// The same pull through the impairment relay (an impairment that changes nothing): what the
// relay's extra hop costs.
void BM_PullThroughRelay(benchmark::State& state) {
  coap::EventLoop loop;
  coap::Trace trace;
  repository::RepositoryConfig config;
  config.http = false;
  repository::FirmwareRepository repository(loop, trace, config);
  repository::CoapFetcher fetcher(loop, trace);
  auto published = repository.publish("/fw/big.bin", env->package, "delay:0ms");
  pull(state, fetcher, published.coap_uri);
}

void BM_PullLibcoapServer(benchmark::State& state) {
  coap::EventLoop loop;
  coap::Trace trace;
  repository::CoapFetcher fetcher(loop, trace);
  pull(state, fetcher, env->coap_server->uri("/fw/big.bin"));
}

// A device on libcoap's own block-wise receiving (COAP_BLOCK_USE_LIBCOAP | SINGLE_BODY): it
// registers with the reference server and takes PUT /5/0/0 whole.
class LibcoapDevice {
 public:
  LibcoapDevice(coap::EventLoop& loop, const coap::BoundAddress& server) : loop_(loop) {
    ctx_ = coap_new_context(nullptr);
    coap_context_set_block_mode(ctx_, COAP_BLOCK_USE_LIBCOAP | COAP_BLOCK_SINGLE_BODY);
    coap_set_app_data(ctx_, this);
    coap_register_response_handler(ctx_, [](coap_session_t*, const coap_pdu_t*, const coap_pdu_t*, const coap_mid_t) {
      return COAP_RESPONSE_OK;
    });
    coap_resource_t* firmware = coap_resource_init(coap_make_str_const("5/0/0"), 0);
    coap_register_request_handler(firmware, COAP_REQUEST_PUT, &LibcoapDevice::on_put);
    coap_add_resource(ctx_, firmware);
    loop_.attach(ctx_);

    coap_address_t addr;
    coap_address_init(&addr);
    addr.addr.sin.sin_family = AF_INET;
    addr.addr.sin.sin_port = htons(server.port);
    ::inet_pton(AF_INET, server.host.c_str(), &addr.addr.sin.sin_addr);
    addr.size = sizeof(sockaddr_in);
    session_ = coap_new_client_session(ctx_, nullptr, &addr, COAP_PROTO_UDP);
    coap_pdu_t* pdu = coap_pdu_init(COAP_MESSAGE_CON, COAP_REQUEST_CODE_POST, coap_new_message_id(session_),
                                    coap_session_max_pdu_size(session_));
    std::uint8_t token[8];
    size_t token_length = 0;
    coap_session_new_token(session_, &token_length, token);
    coap_add_token(pdu, token_length, token);
    auto add = [pdu](coap_option_num_t number, const std::string& value) {
      coap_add_option(pdu, number, value.size(), reinterpret_cast<const std::uint8_t*>(value.data()));
    };
    add(COAP_OPTION_URI_PATH, "rd");
    std::uint8_t format[1] = {40};
    coap_add_option(pdu, COAP_OPTION_CONTENT_FORMAT, 1, format);
    for (const char* query : {"ep=bench-device", "lt=300", "lwm2m=1.1", "b=U"}) add(COAP_OPTION_URI_QUERY, query);
    std::string links = "</1/0>,</3/0>,</5/0>";
    coap_add_data(pdu, links.size(), reinterpret_cast<const std::uint8_t*>(links.data()));
    coap_send(session_, pdu);
  }
  ~LibcoapDevice() {
    loop_.detach(ctx_);
    coap_session_release(session_);
    coap_free_context(ctx_);
  }
  std::size_t received() const { return received_; }

 private:
  coap::EventLoop& loop_;
  coap_context_t* ctx_ = nullptr;
  coap_session_t* session_ = nullptr;
  std::size_t received_ = 0;

  static void on_put(coap_resource_t*, coap_session_t* session, const coap_pdu_t* request, const coap_string_t*,
                     coap_pdu_t* response) {
    auto* self = static_cast<LibcoapDevice*>(coap_get_app_data(coap_session_get_context(session)));
    size_t length = 0;
    size_t offset = 0;
    size_t total = 0;
    const std::uint8_t* data = nullptr;
    if (coap_get_data_large(request, &length, &data, &offset, &total)) self->received_ = length;
    coap_pdu_set_code(response, COAP_RESPONSE_CODE_CHANGED);
  }
};

void BM_PushReferenceServer(benchmark::State& state) {
  coap::EventLoop loop;
  coap::Trace trace;
  server::ServerConfig config;
  config.operation_timeout = Duration(10'000);
  server::ReferenceServer server(loop, trace, config);
  LibcoapDevice device(loop, server.address());
  if (!server.await_registration("bench-device", Deadline(Duration(3000)))) {
    state.SkipWithError("the libcoap device did not register");
    return;
  }
  auto client = server.device("bench-device");
  server::WriteOptions options;
  options.block_size = kBlockSize;
  for (auto _ : state) {
    auto response = client.write_raw(lwm2m::Path{5, 0, 0}, 42, env->package, options);
    if (!response.ok() || device.received() != kPackageSize) {
      state.SkipWithError(("push failed: " + response.describe()).c_str());
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPackageSize));
}

void BM_PushCoapClientToCoapServer(benchmark::State& state) {
  for (auto _ : state) {
    if (run_program({env->coap_client, "-m", "put", "-b", std::to_string(kBlockSize), "-f", env->file,
                     env->coap_server->uri("/fw/push.bin")}, 30'000) != 0) {
      state.SkipWithError("coap-client PUT failed");
      return;
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kPackageSize));
}

// What a coap-client run costs before any payload moves: start-up plus one small GET.
void BM_CoapClientStartup(benchmark::State& state) {
  for (auto _ : state) {
    if (run_program({env->coap_client, "-m", "get", env->coap_server->uri("/.well-known/core")}, 10'000) != 0) {
      state.SkipWithError("coap-client GET failed");
      return;
    }
  }
}

// Keeps each repetition's time per benchmark, for the medians and ratios printed at the end.
class CapturingReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, std::vector<double>> milliseconds;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& run : runs)
      if (!run.error_occurred && run.run_type == Run::RT_Iteration)
        milliseconds[run.run_name.function_name].push_back(run.GetAdjustedRealTime());
    ConsoleReporter::ReportRuns(runs);
  }
  double median(const std::string& name) const {
    auto v = sorted(name);
    if (v.empty()) return 0.0;
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
  }
  // The fastest repetition: what the code costs when the shared machine leaves it alone.
  double fastest(const std::string& name) const {
    auto v = sorted(name);
    return v.empty() ? 0.0 : v.front();
  }

 private:
  std::vector<double> sorted(const std::string& name) const {
    auto it = milliseconds.find(name);
    if (it == milliseconds.end()) return {};
    auto v = it->second;
    std::sort(v.begin(), v.end());
    return v;
  }
};

void print_ratio(const CapturingReporter& r, const std::string& title, const std::string& ours_name,
                 const std::string& ours, const std::string& base_name, const std::string& base) {
  auto ratio = [](double a, double b) { return b > 0 ? a / b : 0.0; };
  std::printf("%s\n  %-46s %8s %8s\n", title.c_str(), "", "median", "fastest");
  std::printf("  %-46s %5.1f ms %5.1f ms\n", ours_name.c_str(), r.median(ours), r.fastest(ours));
  std::printf("  %-46s %5.1f ms %5.1f ms\n", base_name.c_str(), r.median(base), r.fastest(base));
  std::printf("  %-46s %8.2f %8.2f   (goal: at most 1.10)\n", "ratio", ratio(r.median(ours), r.median(base)),
              ratio(r.fastest(ours), r.fastest(base)));
}

}  // namespace
}  // namespace fc::bench

using namespace fc::bench;

constexpr int kRepetitions = 25;

// One transfer per repetition, repetitions shuffled so slow moments of a shared machine hit
// both sides alike.
BENCHMARK(BM_PullFotacheckRepository)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_PullThroughRelay)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_PullLibcoapServer)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_PushReferenceServer)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_PushCoapClientToCoapServer)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);
BENCHMARK(BM_CoapClientStartup)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1)->Repetitions(kRepetitions);

int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  bool given = false;
  for (int i = 1; i < argc; ++i) given |= std::string(argv[i]).rfind("--benchmark_enable_random_interleaving", 0) == 0;
  if (!given) args.push_back(interleave.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  try {
    Environment environment;
    env = &environment;
    CapturingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf("\none 1 MiB transfer per repetition, %zu-byte blocks:\n", kBlockSize);
    print_ratio(reporter, "pull, Block2, same downloader (CoapFetcher):", "fotacheck FirmwareRepository",
                "BM_PullFotacheckRepository", "libcoap coap-server", "BM_PullLibcoapServer");
    std::printf("  %-46s %5.1f ms %5.1f ms (informational)\n", "fotacheck FirmwareRepository via the relay",
                reporter.median("BM_PullThroughRelay"), reporter.fastest("BM_PullThroughRelay"));
    print_ratio(reporter, "push, Block1:", "reference server write_raw -> libcoap device", "BM_PushReferenceServer",
                "coap-client PUT -> coap-server", "BM_PushCoapClientToCoapServer");
    std::printf("  %-46s %5.1f ms %5.1f ms (inside the coap-client figure)\n",
                "coap-client start-up + one small GET", reporter.median("BM_CoapClientStartup"),
                reporter.fastest("BM_CoapClientStartup"));
    env = nullptr;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark set-up failed: %s\n", e.what());
    return 2;
  }
  benchmark::Shutdown();
  return 0;
}
