// One GET of the HTTP or HTTPS repository with cpp-httplib, keeping status, headers and the body
// received (also when the response is cut short), for the repository's HTTP tests.
#pragma once

#include <httplib.h>

#include <string>

#include "suite/common/bytes.h"

namespace fc::repository::testing {

struct HttpGot {
  httplib::Error error = httplib::Error::Unknown;
  long verify_result = -1;  // HTTPS: OpenSSL's X509_V_* for the server's certificate
  int status = 0;
  httplib::Headers headers;
  Bytes body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// `client` is an httplib::Client or httplib::SSLClient already pointed at the repository.
template <typename Client>
HttpGot http_get(Client& client, const std::string& target, const httplib::Headers& headers) {
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(3, 0);
  HttpGot got;
  auto result = client.Get(
      target, headers,
      [&](const httplib::Response& response) {
        got.status = response.status;
        got.headers = response.headers;
        return true;
      },
      [&](const char* data, std::size_t length) {
        got.body.insert(got.body.end(), data, data + length);
        return true;
      });
  got.error = result.error();
  return got;
}

}  // namespace fc::repository::testing
