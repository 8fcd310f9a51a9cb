// How much one profile may make the loader do. The defaults are far above any real profile
// (the shipped ones are a few KiB, two files deep) and far below what would strain the machine.
#pragma once

#include <cstddef>
#include <cstdint>

#include "suite/profile/regular_file.h"

namespace fc::profile {

struct LoadLimits {
  std::uintmax_t file_bytes = 1 * mebibyte;  // each profile file, the included ones too
  int include_depth = 16;                    // files below the one given to load_profile
  std::size_t nodes = 100'000;               // per file, after aliases are expanded
};

// The files a profile names, read by the run and checked by `validate` and at run start.
inline constexpr std::uintmax_t max_credential_bytes = 1 * mebibyte;  // keys, certificates
inline constexpr std::uintmax_t max_image_bytes = 256 * mebibyte;     // image_size, packages.files

}  // namespace fc::profile
