// `fotacheck --list [--format plain|json|markdown]` and `fotacheck --catalogue-markdown`: the
// case catalogue (suite/record/case_meta.h, the one metadata table) as text.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "suite/record/case_meta.h"

namespace fc::runner {

enum class ListFormat { Plain, Json, Markdown };
inline constexpr const char* kListFormatNames = "plain, json, markdown";
std::optional<ListFormat> list_format_named(const std::string& name);

// plain: one block per case (id, level, ETS case, area.name, requirement, needs); json: an
// array of objects with every metadata field; markdown: the catalogue's tables.
void list_cases(std::ostream& out, const std::vector<const record::CaseMeta*>& cases, ListFormat format);
// Every case, plain.
void list_cases(std::ostream& out);
// docs/catalogue.md: every case's metadata grouped by area (areas and ids sorted, so the file
// does not depend on link order). A CTest fails when the committed copy drifts from this.
void print_catalogue_markdown(std::ostream& out);
void print_catalogue_markdown(std::ostream& out, const std::vector<const record::CaseMeta*>& cases);

}  // namespace fc::runner
