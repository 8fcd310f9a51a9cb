// `fotacheck --list` and `fotacheck --catalogue-markdown`: the case catalogue as text.
#pragma once

#include <iosfwd>

namespace fc::runner {

// One block per case: id, level, ETS case, area.name, requirement, needs.
void list_cases(std::ostream& out);
// docs/catalogue.md: every case's metadata grouped by area (areas and ids sorted, so the file
// does not depend on link order). A CTest fails when the committed copy drifts from this.
void print_catalogue_markdown(std::ostream& out);

}  // namespace fc::runner
