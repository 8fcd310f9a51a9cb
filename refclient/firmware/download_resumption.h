// --resume-downloads: what a pull cut by a lost link or a restart needs to continue where it
// stopped (reference §4.3, as Anjay does it): the Package URI and the validator of the
// representation begun, kept in download-resume.json beside the partial slot file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "refclient/firmware/pull_download.h"

namespace fc::refclient {

struct ResumePoint {
  std::string uri;
  Validator validator;
};

inline constexpr const char* kResumeFileName = "download-resume.json";
// How often a pull cut by a lost link is continued (or started over) before it fails with
// Result 4. The pause before each try is FirmwareOptions::resume_pause (kResumePause).
inline constexpr int kMaxResumeAttempts = 4;

// nullopt when the file is missing or unreadable (then a download starts over).
std::optional<ResumePoint> load_resume_point(const std::filesystem::path& file);
// Logs, never throws: without the file a restart starts the download over.
void save_resume_point(const std::filesystem::path& file, const ResumePoint& point) noexcept;
void remove_resume_point(const std::filesystem::path& file) noexcept;

}  // namespace fc::refclient
