#include "suite/repository/package_store.h"

namespace fc::repository {

void PackageStore::put(std::shared_ptr<HostedPackage> package) {
  std::lock_guard lock(mutex_);
  auto path = package->path();
  packages_[path] = std::move(package);
}

void PackageStore::remove(const std::string& path) {
  std::lock_guard lock(mutex_);
  packages_.erase(path);
}

std::shared_ptr<HostedPackage> PackageStore::find(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = packages_.find(path);
  return it == packages_.end() ? nullptr : it->second;
}

std::vector<std::string> PackageStore::paths() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [path, package] : packages_) out.push_back(path);
  return out;
}

}  // namespace fc::repository
