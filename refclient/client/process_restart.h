// Restarting the client in place (Reboot /3/0/4, or a firmware Update): the same program and
// arguments, started fresh, as a device comes back after a reboot.
#pragma once

#include <filesystem>
#include <string>

namespace fc::refclient {

// Marks every inherited descriptor close-on-exec and execs /proc/self/exe with `argv`.
// Returns only when exec failed (the reason is logged).
void restart_process(char** argv);

// --variant exec-self-update (Anjay's demo installs by execv() of the payload): the "installed
// image" is an executable written to `state_dir`, and the install execs it with `argv`; it
// execs the client binary again (same PID). Returns only when that failed (logged).
void exec_installed_image(char** argv, const std::filesystem::path& state_dir);
// The installed image: a /bin/sh script that execs `client_binary` with its own arguments.
std::string installed_image_script(const std::string& client_binary);
inline constexpr const char* kInstalledImageName = "installed-image";

}  // namespace fc::refclient
