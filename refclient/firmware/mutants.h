// Deliberate-bug switches (`--mutant NAME`): each breaks one rule so the suite can prove it
// notices. The table is what --help prints and what docs/refclient.md documents.
#pragma once

#include <string_view>
#include <vector>

namespace fc::refclient {

struct MutantInfo {
  std::string_view name;       // the --mutant argument
  std::string_view clause;     // the rule it breaks (reference section, transition, ETS case)
  std::string_view behaviour;  // what the client does instead
};

const std::vector<MutantInfo>& all_mutants();
bool is_known_mutant(std::string_view name);

// The names, so code and tests cannot misspell them.
namespace mutant {
inline constexpr std::string_view kResultNotResetOnDownload = "result-not-reset-on-download";
inline constexpr std::string_view kSuccessAtDownloaded = "success-at-downloaded";
inline constexpr std::string_view kUpdateInIdle = "update-in-idle";
inline constexpr std::string_view kNoIntegrityCheck = "no-integrity-check";
inline constexpr std::string_view kFlashFullAsUpdateFailed = "flash-full-as-update-failed";
inline constexpr std::string_view kOutOfRamAsFlashFull = "out-of-ram-as-flash-full";
inline constexpr std::string_view kStuckDownloadingOnConnectionLoss = "stuck-downloading-on-connection-loss";
inline constexpr std::string_view kEmptyUriIgnoredInDownloaded = "empty-uri-ignored-in-downloaded";
inline constexpr std::string_view kStartsDownloading = "starts-downloading";
inline constexpr std::string_view kNoStateNotify = "no-state-notify";
inline constexpr std::string_view kFirmwareVersionNotUpdated = "firmware-version-not-updated";
inline constexpr std::string_view kRollbackAsSuccess = "rollback-as-success";
inline constexpr std::string_view kReadPackageContent = "read-package-content";
inline constexpr std::string_view kPackageUriNotReadable = "package-uri-not-readable";
inline constexpr std::string_view kResultKeptAcrossDownload = "result-kept-across-download";
inline constexpr std::string_view kForgetDownloadedOnRestart = "forget-downloaded-on-restart";
inline constexpr std::string_view kResult8StaysUpdating = "result-8-stays-updating";
inline constexpr std::string_view kUnsupportedProtocolAsInvalidUri = "unsupported-protocol-as-invalid-uri";
inline constexpr std::string_view kResetKeepsResultInIdle = "reset-keeps-result-in-idle";
inline constexpr std::string_view kUriAcceptedWhileBusy = "uri-accepted-while-busy";
inline constexpr std::string_view kOutOfOrderBlockAccepted = "out-of-order-block-accepted";
inline constexpr std::string_view kCancelInUpdating = "cancel-in-updating";
inline constexpr std::string_view kUpdateInUpdating = "update-in-updating";
inline constexpr std::string_view kResetIgnoredInDownloading = "reset-ignored-in-downloading";
inline constexpr std::string_view kStuckUpdatingAfterRestart = "stuck-updating-after-restart";
inline constexpr std::string_view kDeferredAsIdle = "deferred-as-idle";
inline constexpr std::string_view kAcceptIgnored = "accept-ignored";
inline constexpr std::string_view kPostPushRefused = "post-push-refused";
inline constexpr std::string_view kDownloadingNotNotified = "downloading-not-notified";
inline constexpr std::string_view kResultResetAtDownloaded = "result-reset-at-downloaded";
inline constexpr std::string_view kInstallWithoutRestart = "install-without-restart";
inline constexpr std::string_view kSuccessWithOldImage = "success-with-old-image";
inline constexpr std::string_view kVersionAtDownloaded = "version-at-downloaded";
inline constexpr std::string_view kResultSuccessWhileUpdating = "result-success-while-updating";
inline constexpr std::string_view kNoResultNotify = "no-result-notify";
inline constexpr std::string_view kFullLastBlockNotFinal = "full-last-block-not-final";
inline constexpr std::string_view kUpdateResultWritable = "update-result-writable";
inline constexpr std::string_view kShortUriBuffer = "short-uri-buffer";
inline constexpr std::string_view kHttpErrorsAsConnectionLost = "http-errors-as-connection-lost";
inline constexpr std::string_view kClaimsUnservedProtocols = "claims-unserved-protocols";
inline constexpr std::string_view kPushClaimedButRefused = "push-claimed-but-refused";
inline constexpr std::string_view kRefusedPushDropsPackage = "refused-push-drops-package";
inline constexpr std::string_view kRefusedUriAbortsDownload = "refused-uri-aborts-download";
inline constexpr std::string_view kRefusedPushAbortsPull = "refused-push-aborts-pull";
inline constexpr std::string_view kUriInUpdatingAbortsInstall = "uri-in-updating-aborts-install";
inline constexpr std::string_view kDeleteInstanceAccepted = "delete-instance-accepted";
inline constexpr std::string_view kPkgNameAsInteger = "pkg-name-as-integer";
inline constexpr std::string_view kPmaxIgnored = "pmax-ignored";
inline constexpr std::string_view kNoUpdateWhileDownloading = "no-update-while-downloading";
inline constexpr std::string_view kResultClearedAtBoot = "result-cleared-at-boot";
inline constexpr std::string_view kResultClearedSoonAfterFailure = "result-cleared-soon-after-failure";
inline constexpr std::string_view kHttp5xxStaysDownloading = "http-5xx-stays-downloading";
inline constexpr std::string_view kHttpStallWaitsForever = "http-stall-waits-forever";
inline constexpr std::string_view kSeparateResponseWaitsForever = "separate-response-waits-forever";
inline constexpr std::string_view kAbandonedPushKept = "abandoned-push-kept";
inline constexpr std::string_view kSendWrongResult = "send-wrong-result";
// With --resume-downloads only.
inline constexpr std::string_view kResumeIgnoresEtag = "resume-ignores-etag";
inline constexpr std::string_view kRangeWithWeakEtag = "range-with-weak-etag";
inline constexpr std::string_view kIgnores412 = "ignores-412";
inline constexpr std::string_view kResumeWrongOffset = "resume-wrong-offset";
}  // namespace mutant

}  // namespace fc::refclient
