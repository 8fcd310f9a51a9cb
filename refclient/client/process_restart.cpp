#include "refclient/client/process_restart.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <system_error>

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

void flush_logs() {
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& logger) { logger->flush(); });
}

std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

void restart_process(char** argv) {
  client_log().info("restarting: exec /proc/self/exe with the same command line");
  flush_logs();
  close_descriptors_on_exec();
  execv("/proc/self/exe", argv);
  client_log().error("restart failed: execv(/proc/self/exe): {}", std::strerror(errno));
}

std::string installed_image_script(const std::string& client_binary) {
  return "#!/bin/sh\n"
         "# Written by fotacheck-refclient --variant exec-self-update: the image an install execs.\n"
         "exec " +
         shell_quoted(client_binary) + " \"$@\"\n";
}

void exec_installed_image(char** argv, const std::filesystem::path& state_dir) {
  std::error_code error;
  const auto binary = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    client_log().error("install failed: cannot read /proc/self/exe: {}", error.message());
    return;
  }
  const auto image = state_dir / kInstalledImageName;
  {
    std::ofstream out(image, std::ios::trunc);
    out << installed_image_script(binary.string());
    if (!out.flush()) {
      client_log().error("install failed: cannot write {}", image.string());
      return;
    }
  }
  using std::filesystem::perms;
  std::filesystem::permissions(image, perms::owner_all | perms::group_read | perms::group_exec, error);
  if (error) {
    client_log().error("install failed: cannot make {} executable: {}", image.string(), error.message());
    return;
  }
  client_log().info("installing: exec {} (the installed image) with the same command line", image.string());
  flush_logs();
  close_descriptors_on_exec();
  execv(image.c_str(), argv);
  client_log().error("install failed: execv({}): {}", image.string(), std::strerror(errno));
}

}  // namespace fc::refclient
