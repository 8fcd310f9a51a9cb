// Device-management operations towards one registered device (TS Core §6.3, §6.4): each call
// sends, waits within the operation deadline, and returns what came back or why nothing did.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "suite/coap/context.h"
#include "suite/lwm2m/codec.h"
#include "suite/server/dm_response.h"
#include "suite/server/format_choice.h"
#include "suite/server/observation.h"

namespace fc::server {

class ReferenceServer;
struct Registration;

// Notification attributes for Write-Attributes (TS Core §5.1.2).
struct Attributes {
  std::optional<unsigned> pmin;
  std::optional<unsigned> pmax;
  std::optional<double> gt;
  std::optional<double> lt;
  std::optional<double> st;
  std::vector<std::string> removed;  // names sent bare ("pmax"): the attribute is removed (TS Core 5.4.4)
  std::vector<std::string> to_queries() const;
};

struct WriteOptions {
  bool partial_update = false;      // POST (partial update) instead of PUT (replace)
  std::size_t block_size = 1024;    // Block1 size for payloads larger than this (16..1024)
  bool force_blockwise = false;     // use Block1 even when the payload fits one block
  bool announce_size1 = true;       // send Size1 with the first block (lets a device refuse early)
};

class DeviceClient {
 public:
  DeviceClient(ReferenceServer& server, std::string endpoint) : server_(server), endpoint_(std::move(endpoint)) {}

  const std::string& endpoint() const { return endpoint_; }
  bool registered() const;

  // Accept as the server chooses it (format_choice.h: forced by the profile or negotiated).
  DmResponse read(const lwm2m::Path& path);
  // Exactly this Accept; nullopt sends none.
  DmResponse read(const lwm2m::Path& path, std::optional<lwm2m::ContentFormat> accept);
  // In the format the server chooses: text/plain for one value, the negotiated one for several.
  DmResponse write(const lwm2m::Path& path, const lwm2m::Records& records, const WriteOptions& options = {});
  DmResponse write(const lwm2m::Path& path, const lwm2m::Records& records, lwm2m::ContentFormat format,
                   const WriteOptions& options = {});
  DmResponse write_value(const lwm2m::Path& path, const lwm2m::Value& value,
                         lwm2m::ContentFormat format = lwm2m::ContentFormat::Text);
  // The payload as given, in the given format: for packages and deliberately odd payloads.
  DmResponse write_raw(const lwm2m::Path& path, std::uint16_t content_format, ByteView payload,
                       const WriteOptions& options = {});
  // One Block1 request with exactly the block option given: for out-of-order, repeated and
  // gapped blocks that a well-behaved write_raw never sends.
  DmResponse write_block(const lwm2m::Path& path, std::uint16_t content_format, ByteView block,
                         const coap::BlockOption& option);
  DmResponse execute(const lwm2m::Path& path, const std::string& arguments = {});
  DmResponse discover(const lwm2m::Path& path);
  DmResponse write_attributes(const lwm2m::Path& path, const Attributes& attributes);
  DmResponse remove(const lwm2m::Path& path);  // CoAP DELETE

  // Starts observing; the returned Observation fills as notifications arrive while anyone
  // pumps the loop. initial() says whether the device accepted. Accept as for read().
  std::shared_ptr<Observation> observe(const lwm2m::Path& path);
  std::shared_ptr<Observation> observe(const lwm2m::Path& path, std::optional<lwm2m::ContentFormat> accept);
  // The Accept read(path) and observe(path) send.
  std::optional<lwm2m::ContentFormat> read_format(const lwm2m::Path& path) const;
  // Cancels with GET Observe=1 (RFC 7641 §3.6), or forgets it so the next notification gets RST.
  DmResponse cancel_observation(Observation& observation, bool by_reset = false);

 private:
  ReferenceServer& server_;
  std::string endpoint_;

  Registration* registration() const;
  DeviceFormats device_formats() const;
  // Sends one request and waits for its outcome within the operation deadline.
  std::optional<coap::Outcome> round_trip(const coap::OutgoingRequest& request, std::string& error);
  // Sends `request`, following Block2 until the body is complete.
  DmResponse exchange(coap::OutgoingRequest request, const lwm2m::Path& base);
  void absorb(DmResponse& out, const coap::Message& message) const;
  static void decode_into(DmResponse& out, const lwm2m::Path& base);
};

coap::OutgoingRequest make_request(coap::Code method, const lwm2m::Path& path, const std::string& root);

}  // namespace fc::server
