// The mutant table. Clauses cite shared/docs/lwm2m-fota-reference.md (§, T-rows, ETS cases).
#include "refclient/firmware/mutants.h"

#include <algorithm>

namespace fc::refclient {

const std::vector<MutantInfo>& all_mutants() {
  using namespace mutant;
  static const std::vector<MutantInfo> table{
      {kResultNotResetOnDownload,
       "§3.2 rule 1 (T1/T2): Update Result MUST be reset to 0 when a download starts",
       "a new download keeps whatever Update Result was there before"},
      {kSuccessAtDownloaded, "T4/T9, ETS 770: Result 1 only after the update succeeded",
       "reports Update Result 1 as soon as the package is Downloaded"},
      {kUpdateInIdle, "§3.2 rule 3, ETS 772: Execute Update outside Downloaded gets 4.05",
       "accepts Execute /5/0/2 in Idle with 2.04 and goes to Updating (then fails with Result 8)"},
      {kNoIntegrityCheck, "T5, ETS 776: a corrupted package ends in State 0, Result 5",
       "skips the hash/signature check and installs a corrupted package"},
      {kFlashFullAsUpdateFailed, "§2.2, ETS 773: no room for the package is Result 2",
       "reports Update Result 8 where 2 is due"},
      {kStuckDownloadingOnConnectionLoss, "T5, ETS 775: a lost pull ends in State 0, Result 4",
       "stays in State 1 with Result 0 after the link died"},
      {kEmptyUriIgnoredInDownloaded, "T7, §3.2 rule 2: an empty Package URI resets Downloaded to Idle",
       "answers 2.04 to the empty URI in State 2 and changes nothing"},
      {kStartsDownloading, "§2.1: a device with no transfer running is not Downloading",
       "boots into State 1 with no transfer behind it"},
      {kNoStateNotify, "ETS 760, RFC 7641: an observed State change is notified",
       "never reports a State change to observers"},
      {kFirmwareVersionNotUpdated, "§3.2 rule 7, ETS 770 step 3b: /3/0/3 shows the new version after success",
       "keeps the old Firmware Version after a successful update"},
      {kRollbackAsSuccess, "T10, ETS 779: an install that fails ends in State 2, Result 8",
       "reports a rolled-back (failed) boot as State 0, Result 1"},
      {kReadPackageContent, "§3.3: Package /5/0/0 is write-only, a Read gets 4.05",
       "answers a Read of /5/0/0 with 2.05 and the start of the stored package"},
      {kPackageUriNotReadable, "§1.1: Package URI /5/0/1 is RW and reads back what was written",
       "reads /5/0/1 as an empty string"},
      {kResultKeptAcrossDownload, "§3.2 rule 1: Update Result MUST be reset to 0 when a download starts",
       "keeps an old error Result (2..9) when a new download starts; other values are reset"},
      {kForgetDownloadedOnRestart, "§2.1, §3.5: a stored package (State 2) survives a restart",
       "comes back from a restart in Downloaded as State 0, Result 0 with the slot erased"},
      {kResult8StaysUpdating, "T10, ETS 779: a failed install leaves Updating for State 2",
       "stays in State 3 with Result 8 after a failed install"},
      {kUnsupportedProtocolAsInvalidUri, "§3.2 rule 6: a URI scheme not in /5/0/8 is Result 9",
       "reports Update Result 7 where 9 is due"},
      {kResetKeepsResultInIdle, "T16, §3.2 rule 2: a reset in Idle clears a stale Result to 0",
       "leaves the stale Update Result after a reset write in Idle"},
      {kUriAcceptedWhileBusy,
       "§3.2 rule 4, §3.7 item 2: a new Package URI while Downloading/Downloaded is rejected",
       "answers 2.04 to a non-empty Package URI in State 1 or 2 and ignores it"},
      {kOutOfOrderBlockAccepted, "§4.2, RFC 7959 §2.5: an out-of-order Block1 gets 4.08",
       "appends an out-of-order block as if it were the next one (2.31/2.04)"},
      {kCancelInUpdating, "§3.2 rule 9 (/5 1.1): Cancel after installation started gets 4.05",
       "accepts Cancel /5/0/10 in Updating: State 0, Result 10"},
      {kUpdateInUpdating, "§3.2 rule 3, ETS 772: Execute Update outside Downloaded gets 4.05",
       "accepts Execute /5/0/2 in Updating with 2.04 and starts the install over"},
      {kResetIgnoredInDownloading, "T6, §3.2 rule 2: a reset write in Downloading returns to Idle",
       "answers 2.04 to an empty Package URI or a NUL Package in State 1 and keeps downloading (§3.7 item 1)"},
      {kStuckUpdatingAfterRestart, "T9/T10: a restart during Updating ends in Idle (1) or a rollback (2, 8)",
       "comes back from a restart in Updating still in State 3, the image never booted"},
      {kDeferredAsIdle, "T13 (/5 1.1): a deferred Update keeps State 2 with Result 11",
       "reports a deferred Update as State 0 with Result 11"},
      {kAcceptIgnored, "§7.3, RFC 7252 §5.10.4: a Read is answered in the format its Accept asks for",
       "answers every Read of several values in its first format (TLV), whatever the Accept"},
      {kPostPushRefused, "TS Core E.6.2, §3.7 item 7: a push by POST with Block1 is taken like one by PUT",
       "answers a POST to /5/0/0 with 4.05 (as if only Execute were meant by POST)"},
      {kDownloadingNotNotified, "§3.5, RFC 7641 §4.2: with pmin 0 each State change is notified",
       "never notifies State 1 (Downloading); a Read still shows it"},
      {kResultResetAtDownloaded, "T1/T2, TS E.6.1: Update Result is 0 from the start of a download",
       "keeps an old error Result (2..9) through Downloading and sets 0 only once Downloaded"},
      {kInstallWithoutRestart, "§3.5, profile reboot_on_update: an install with reboot comes back with a new Register",
       "boots the new image in place after Execute Update (State 0, Result 1) and never registers anew"},
      {kSuccessWithOldImage, "T9, §3.2 rule 7, ETS 770 step 3b: Result 1 means the new image runs, named by /3/0/3",
       "from the second install on (a bootloader that keeps the first update's slot), reports State 0, Result 1 "
       "after the restart of an Update but keeps running the image installed before"},
      {kVersionAtDownloaded, "T10, ETS 779: a failed install keeps the old /3/0/3",
       "shows the downloaded package's version in /3/0/3 from State 2 on and keeps it after a rollback"},
      {kResultSuccessWhileUpdating, "T9, §2.2: Result 1 comes with State 0 once the install succeeded, never in State 3",
       "sets Update Result 1 in State 3, before the restart that installs the image"},
      {kNoResultNotify, "§3.5, RFC 7641 §4.2: an observed Update Result change is notified (pmin 0)",
       "never notifies an Update Result change; a Read shows it"},
      {kFullLastBlockNotFinal, "RFC 7959 §2.3, TS Core E.6.2: the M bit, not the block's length, marks the last block",
       "ends a push only at a block shorter than the one before: a full last block (a package that is an exact "
       "multiple of the block size) is acknowledged but not taken as the end, and the device waits in State 1"},
      {kUpdateResultWritable, "§3.3, TS Core E.6 (Update Result: R): a Write to a read-only resource gets 4.05",
       "answers 2.04 to a Write of /5/0/5 and takes the value as its Update Result"},
      {kShortUriBuffer, "TS Core E.6 (Package URI: 0..255 bytes): a 255-byte Package URI is taken",
       "refuses a Package URI longer than 128 bytes with 4.00 (a 128-byte buffer)"},
      {kHttpErrorsAsConnectionLost, "ETS 778, reference §4.3: HTTP 404 from the repository is Update Result 7",
       "reports an HTTP pull's 404 as Update Result 4, as every other HTTP error status"},
      {kSendWrongResult, "TS Core 6.4.8 (Send), reference §3.1: a Sent Update Result is the resource's value",
       "with --report-by-send, Sends every Update Result one too high (0 as 1, 1 as 2); notifications and Reads "
       "are right"},
  };
  return table;
}

bool is_known_mutant(std::string_view name) {
  const auto& table = all_mutants();
  return std::any_of(table.begin(), table.end(), [&](const MutantInfo& m) { return m.name == name; });
}

}  // namespace fc::refclient
