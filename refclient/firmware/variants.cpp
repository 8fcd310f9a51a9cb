// The legal-variant table. Allowances cite shared/docs/lwm2m-fota-reference.md (§, T-rows) and
// the TS/RFC text they rest on.
#include "refclient/firmware/variants.h"

#include <algorithm>

namespace fc::refclient {

const std::vector<VariantInfo>& all_variants() {
  using namespace variant;
  static const std::vector<VariantInfo> table{
      {kIntegrityAtUpdate,
       "T4 (\"integrity check passed, if done at this point\"), T11: the check may wait for Update",
       "a package whose hash or signature fails still reaches State 2; Execute Update then ends in "
       "State 0 with Result 5 (T11); a wrong magic or format version is still Result 6 at download"},
      {kNoUpdatingState,
       "§3.5: State 3 is transient and may never be seen (ETS 770/771 step 2b: \"3 or 0\")",
       "Execute Update leaves /5/0/3 showing 2 until the outcome (0/1, 0/5, 2/8); State 3 is never "
       "read or notified"},
      {kDecideAfterRestart,
       "T9 (\"usually after a reboot and a new Register\"), §3.7 item 4 (Anjay reports after the reboot)",
       "after the install restart the device registers still in State 3 and decides the outcome "
       "(0/1, or 2/8 after a rollback) 1 s after that Register, notifying it"},
      {kExecSelfUpdate,
       "Anjay's demo installs by execv() of the downloaded payload (issue 15); how a device restarts is "
       "its own business",
       "the install restart execs an executable launcher written into the state directory (the "
       "\"installed image\", a /bin/sh script that execs the client again): same PID, a new image"},
      {kServerInstance1,
       "TS Core: Server object instance IDs are the client's choice (Anjay registers </1/1>)",
       "the LwM2M Server object instance is /1/1; /1/0 does not exist (4.04)"},
      {kBlock1Busy503,
       "RFC 7252 §5.9.3.4 (5.03 Service Unavailable, temporary); §3.4: any error code on a refused block",
       "a Package block (Block1 or whole) that is not a reset gets 5.03 while the device is busy: a pull "
       "is downloading (State 1 by pull) or an install runs (State 3)"},
      {kBadUri400,
       "§3.7 item 6 (Anjay answers 4.00 and sets Result 9), TS E.6.1 (the Write gets a success or a "
       "failure answer, the verdict is in Update Result)",
       "a Package URI it will not take (it does not parse: Result 7; a scheme not claimed in /5/0/8: "
       "Result 9) is answered 4.00 with that Result set at once; State stays 0, State 1 is never shown"},
      {kNoObjectVersion,
       "§0: without ver= the object version is the enabler's default (/5 1.1 with lwm2m=1.2)",
       "the Register lists </5/0> without </5>;ver=..., whatever the /5 version"},
      {kNoV11Resources,
       "§1.2: resources 10-13 of /5 1.1 are optional (O)",
       "/5 1.1 without Cancel (10), Severity (11), Last State Change Time (12) and Maximum Defer "
       "Period (13): 4.04 for each, absent from Reads and Discover"},
      {kMergedNotifications,
       "RFC 7641 §4.5 (a client may not see every state), §3.5 (transient States may be merged away)",
       "a change of an observed path waits 300 ms for further changes; those are merged into one "
       "notification carrying the newest value, so the final value is always notified"},
  };
  return table;
}

bool is_known_variant(std::string_view name) {
  const auto& table = all_variants();
  return std::any_of(table.begin(), table.end(), [&](const VariantInfo& v) { return v.name == name; });
}

}  // namespace fc::refclient
