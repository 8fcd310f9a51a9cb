// Mbed TLS error codes as readable text, for exception messages (internal to fotacheck_package).
#pragma once

#include <string>

namespace fc::package::detail {

// "PK - Invalid key tag or value (-0x3d00)".
std::string mbedtls_message(int code);

}  // namespace fc::package::detail
