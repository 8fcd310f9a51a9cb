// Which Content-Format the reference server asks a device for (Accept on Read and Observe) and
// writes several values in: forced by the profile, or negotiated from the device's `ct`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "suite/lwm2m/content_format.h"
#include "suite/lwm2m/path.h"

namespace fc::server {

// The profile's side of the choice (server.request_format, capabilities.content_formats).
struct RequestFormats {
  std::optional<lwm2m::ContentFormat> forced;  // unset: "auto"
  std::vector<std::uint16_t> declared;         // CoAP numbers the vendor declares; may be empty
};

// The device's side: what its Register said (TS Core §6.2.1: `ct` on the root link).
struct DeviceFormats {
  std::string lwm2m_version;              // "1.0", "1.1", "1.2"
  std::vector<std::uint16_t> advertised;  // CoAP numbers; empty when `ct` was not given
};

// The best format for several values both sides know, in the order LwM2M CBOR, SenML CBOR,
// SenML JSON, TLV, LwM2M JSON (the compact formats first, the legacy JSON last). Candidates are
// the advertised formats that the profile also declares; when that leaves none, the advertised,
// then the declared ones. A 1.0 device that names none gets TLV, mandatory there (TS Core 1.0
// §6.4); a 1.1+ device that names none gets nullopt: nothing is known to work.
std::optional<lwm2m::ContentFormat> negotiated_format(const RequestFormats& formats, const DeviceFormats& device);

// The Accept of a Read or Observe of `path`; nullopt: send none and let the device choose.
// A forced format is always asked, except text/plain for an object or instance (text carries
// one value only: the negotiated format is asked there). Automatic choice asks nothing for a
// resource or resource instance (the device's default, text or opaque for one value, is what
// any device answers) and the negotiated format for an object or instance.
std::optional<lwm2m::ContentFormat> choose_read_format(const lwm2m::Path& path, const RequestFormats& formats,
                                                       const DeviceFormats& device);

// The Content-Format of a Write: for one value at a resource, the forced format or text/plain;
// for several values, the forced format (text excepted) or the negotiated one, TLV when none is.
lwm2m::ContentFormat choose_write_format(bool several_values, const RequestFormats& formats,
                                         const DeviceFormats& device);

}  // namespace fc::server
