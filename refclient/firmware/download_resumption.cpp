// Resumption of pulls (--resume-downloads): the resume-point file, and the Impl steps that
// continue a pull from the bytes its slot holds, or start it over when the repository has
// another representation now (another ETag, 412, a weak ETag that validates no range).
#include "refclient/firmware/download_resumption.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "refclient/firmware/durable_file.h"
#include "refclient/firmware/firmware_log.h"
#include "refclient/firmware/firmware_update_impl.h"
#include "refclient/firmware/mutants.h"
#include "refclient/firmware/package_uri.h"

namespace fc::refclient {

std::optional<ResumePoint> load_resume_point(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto json = nlohmann::json::parse(text.str());
    return ResumePoint{json.at("uri").get<std::string>(),
                       Validator{json.at("etag").get<std::string>(), json.at("weak").get<bool>()}};
  } catch (const std::exception& e) {
    firmware_log().error("ignoring unreadable {}: {}", file.string(), e.what());
    return std::nullopt;
  }
}

void save_resume_point(const std::filesystem::path& file, const ResumePoint& point) noexcept {
  try {
    const nlohmann::json json{{"uri", point.uri}, {"etag", point.validator.etag}, {"weak", point.validator.weak}};
    write_file_durably(file, json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  } catch (const std::exception& e) {
    firmware_log().error("cannot keep the resume point: {}", e.what());
  }
}

void remove_resume_point(const std::filesystem::path& file) noexcept {
  std::error_code ec;
  std::filesystem::remove(file, ec);
}

// ---- Impl steps -------------------------------------------------------------------------

std::filesystem::path FirmwareUpdateObject::Impl::resume_file() const { return options.state_dir / kResumeFileName; }

void FirmwareUpdateObject::Impl::forget_resume_point() noexcept {
  resume_point.reset();
  remove_resume_point(resume_file());
}

void FirmwareUpdateObject::Impl::note_pull_validator() {
  if (!options.resume_downloads || !pull || resume_point) return;
  auto validator = pull->validator();
  if (!validator) return;
  resume_point = ResumePoint{s.package_uri, *validator};
  save_resume_point(resume_file(), *resume_point);
}

bool FirmwareUpdateObject::Impl::resume_after_failure(const PullOutcome& outcome) {
  if (!options.resume_downloads || !outcome.failure || resume_attempts >= kMaxResumeAttempts) return false;
  const auto& failure = *outcome.failure;
  // A lost link (no HTTP status), or a resumption the repository refused (stale): the other
  // failures (4.04, 5xx, a package that does not fit or verify) end the download as before.
  if (!outcome.stale && (failure.result != UpdateResult::ConnectionLost || failure.http_status != 0)) return false;
  ++resume_attempts;
  pull.reset();
  if (outcome.stale) {
    firmware_log().info("{}: starting the download over", failure.reason);
    forget_resume_point();
    resume_pull();
    return true;
  }
  firmware_log().info("{}; continuing in {} ms (try {} of {})", failure.reason, options.resume_pause.count(),
                      resume_attempts, kMaxResumeAttempts);
  resume_at = std::chrono::steady_clock::now() + options.resume_pause;
  return true;
}

bool FirmwareUpdateObject::Impl::resume_pending_after_boot() {
  if (!options.resume_downloads || s.state != State::Downloading) return false;
  auto point = load_resume_point(resume_file());
  if (!point || point->uri != s.package_uri) return false;
  resume_point = point;
  resume_at = std::chrono::steady_clock::now();
  return true;
}

void FirmwareUpdateObject::Impl::resume_pull() {
  resume_at.reset();
  auto parsed = parse_package_uri(s.package_uri);
  if (std::get_if<std::string>(&parsed) != nullptr) {
    fail_download(DownloadFailure{UpdateResult::InvalidUri, "the Package URI no longer parses"});
    return;
  }
  const auto& uri = std::get<PackageUri>(parsed);
  // A weak ETag validates no range (RFC 9110 §13.1.1, §13.1.5): such a download starts over.
  const bool weak_allowed = mutant(mutant::kRangeWithWeakEtag);
  const bool ranged = resume_point && resume_point->uri == s.package_uri &&
                      (!resume_point->validator.weak || weak_allowed);
  Bytes held;
  if (ranged) {
    const auto partial = slots.partial_file(download_slot());
    std::error_code ec;
    const auto size = std::filesystem::file_size(partial, ec);
    std::ifstream in(partial, std::ios::binary);
    if (!ec && in) {
      held.resize(static_cast<std::size_t>(size));
      in.read(reinterpret_cast<char*>(held.data()), static_cast<std::streamsize>(held.size()));
      held.resize(static_cast<std::size_t>(in.gcount()));
    }
    // CoAP asks for whole blocks: the bytes past the last 16-byte boundary are fetched again.
    if (uri.scheme.rfind("coap", 0) == 0) held.resize(held.size() - held.size() % 16);
  }
  const auto point = ranged ? resume_point : std::nullopt;
  const auto attempts = resume_attempts;
  begin_receiving(Transfer::Pull);  // truncates the partial file: `held` is re-fed below
  resume_attempts = attempts;
  // begin_receiving forgot the resume point; a pull that continues keeps it for the next cut.
  resume_point = point;
  if (point) save_resume_point(resume_file(), *point);
  if (!held.empty()) {
    if (auto failure = receiver->accept(held)) {
      fail_download(*failure);
      return;
    }
  }
  auto timing = transfer_timing();
  timing.unbounded_http_read = mutant(mutant::kHttpStallWaitsForever);
  timing.unbounded_separate_response = mutant(mutant::kSeparateResponseWaitsForever);
  std::optional<ResumeFrom> from;
  if (!held.empty()) {
    from = ResumeFrom{held.size(), point->validator, mutant(mutant::kResumeIgnoresEtag), mutant(mutant::kIgnores412)};
    // resume-wrong-offset: one block past the bytes held, a gap in the image.
    if (mutant(mutant::kResumeWrongOffset)) from->offset += 1024;
  }
  firmware_log().info("{} {} from byte {}", from ? "continuing" : "starting over", s.package_uri,
                      from ? from->offset : 0);
  pull = start_pull(uri, *receiver, timing, options.repository_security, from);
}

}  // namespace fc::refclient
