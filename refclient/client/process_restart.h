// Restarting the client in place (Reboot /3/0/4, or a firmware Update): the same program and
// arguments, started fresh, as a device comes back after a reboot.
#pragma once

namespace fc::refclient {

// Marks every inherited descriptor close-on-exec and execs /proc/self/exe with `argv`.
// Returns only when exec failed (the reason is logged).
void restart_process(char** argv);

}  // namespace fc::refclient
