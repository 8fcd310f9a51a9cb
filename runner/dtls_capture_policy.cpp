#include "runner/dtls_capture_policy.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace fc::runner {
namespace {

constexpr const char* kPriorityFileVariable = "GNUTLS_SYSTEM_PRIORITY_FILE";
// Set only between the re-execution and the policy's removal from the environment: a marker
// that stops a second re-execution and tells the new process the policy is in force.
constexpr const char* kAppliedVariable = "FOTACHECK_DTLS_CAPTURE_POLICY";
// GnuTLS's own default system priority file on Debian; if the machine has one, it is the
// administrator's policy and stays in force.
constexpr const char* kDebianSystemPriorityFile = "/etc/gnutls/config";
constexpr const char kPolicy[] =
    "# fotacheck: ChaCha20-Poly1305 off so Wireshark can decrypt the run's DTLS captures\n"
    "[overrides]\n"
    "tls-disabled-cipher = CHACHA20-POLY1305\n";

// Only a run of cases makes DTLS captures: listing, help and the subcommands that read
// results are left without the extra start.
bool runs_cases(char** argv) {
  if (argv[0] == nullptr || argv[1] == nullptr) return true;
  for (const std::string_view subcommand : {"report", "bundle", "verify", "validate"})
    if (argv[1] == subcommand) return false;
  for (char** arg = argv + 1; *arg != nullptr; ++arg)
    for (const std::string_view option : {"--list", "--help", "-h", "--version", "--catalogue-markdown"})
      if (*arg == option) return false;
  return true;
}

}  // namespace

void apply_decryptable_dtls_policy(char** argv) {
  if (const char* marker = std::getenv(kAppliedVariable); marker && *marker) {
    // GnuTLS has loaded the file by now (at library load); keep its name out of every device's
    // environment. The memory file stays open (GnuTLS looks at it again when a priority is set)
    // but is not inherited by the programs the runner starts.
    const int fd = std::atoi(marker);
    if (fd > 2) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::unsetenv(kAppliedVariable);
    ::unsetenv(kPriorityFileVariable);
    return;
  }
  if (!runs_cases(argv)) return;
  if (const char* own = std::getenv(kPriorityFileVariable); own && *own) return;
  std::error_code ec;
  if (std::filesystem::exists(kDebianSystemPriorityFile, ec)) return;

  const int fd = ::memfd_create("fotacheck-gnutls-policy", 0);  // inherited across execv
  if (fd < 0) return;
  if (::write(fd, kPolicy, sizeof kPolicy - 1) != static_cast<ssize_t>(sizeof kPolicy - 1)) {
    ::close(fd);
    return;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const std::string marker = std::to_string(fd);
  ::setenv(kPriorityFileVariable, path.c_str(), 1);
  ::setenv(kAppliedVariable, marker.c_str(), 1);
  ::execv("/proc/self/exe", argv);
  // Not re-executed (no /proc?): run on with GnuTLS's defaults and say nothing changed.
  ::unsetenv(kPriorityFileVariable);
  ::unsetenv(kAppliedVariable);
  ::close(fd);
}

}  // namespace fc::runner
