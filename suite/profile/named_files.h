// The files a profile names must be there before a run starts: a missing signing key or
// firmware image is the user's configuration error, never a failed case of the device.
#pragma once

#include "suite/profile/problem.h"
#include "suite/profile/profile.h"

namespace fc::profile {

// One problem per named file that is missing, unreadable, not a regular file (a device, a
// FIFO, a directory) or over its size limit, at the line that names it. Reads no content.
ProfileProblems named_file_problems(const Profile& profile);

}  // namespace fc::profile
