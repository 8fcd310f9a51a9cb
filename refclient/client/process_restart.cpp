#include "refclient/client/process_restart.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "refclient/client/client_log.h"

namespace fc::refclient {

namespace {

// Sockets of libcoap and of the pull downloader are not close-on-exec; the new image must not
// inherit them (it would keep the old ports open and never read them).
void close_descriptors_on_exec() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return;
  const int own = dirfd(dir);
  while (const dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd <= 2 || fd == own) continue;
    const int flags = fcntl(static_cast<int>(fd), F_GETFD);
    if (flags >= 0) fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC);
  }
  closedir(dir);
}

}  // namespace

void restart_process(char** argv) {
  client_log().info("restarting: exec /proc/self/exe with the same command line");
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
  close_descriptors_on_exec();
  execv("/proc/self/exe", argv);
  client_log().error("restart failed: execv(/proc/self/exe): {}", std::strerror(errno));
}

}  // namespace fc::refclient
