// A DTLS cipher the capture tools can decrypt, for the suite's own TLS library only.
//
// GnuTLS (under libcoap) negotiates ChaCha20-Poly1305 by default, and the Wireshark of Debian 12
// (4.0) fails every such DTLS record even with the right key log, so a PSK run's pcaps would show
// handshakes and "Application Data" instead of CoAP (docs/reports.md, "Packet captures").
// GnuTLS takes a cipher policy only from its system priority file, read when the library loads,
// i.e. before main(): so the runner re-executes itself once with GNUTLS_SYSTEM_PRIORITY_FILE
// naming an in-memory file that disables ChaCha20-Poly1305 (AES-GCM/CCM suites remain). The
// devices the runner starts never see the setting: it is removed from the environment again.
#pragma once

namespace fc::runner {

// Call first in main(). Returns normally when nothing needs to change (already applied, no cases to run, or the
// machine or the user has a GnuTLS policy of their own, which is respected) or when the
// re-execution is not possible (then the run goes on with GnuTLS's defaults); otherwise the
// process is replaced and this never returns.
void apply_decryptable_dtls_policy(char** argv);

}  // namespace fc::runner
