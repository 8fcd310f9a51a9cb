// The packages a repository serves, by path; shared by the CoAP side (loop thread), the HTTP
// side (its own threads) and the test that publishes (thread-safe).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "suite/repository/hosted_package.h"

namespace fc::repository {

class PackageStore {
 public:
  void put(std::shared_ptr<HostedPackage> package);
  void remove(const std::string& path);
  // nullptr when nothing is published at `path`. A package stays alive for whoever holds it.
  std::shared_ptr<HostedPackage> find(const std::string& path) const;
  std::vector<std::string> paths() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<HostedPackage>> packages_;
};

}  // namespace fc::repository
