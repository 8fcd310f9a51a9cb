// How many typos apart two names are: the profile's "did you mean" for an unknown key and the
// runner's for an unknown case id use the same measure.
#pragma once

#include <cstddef>
#include <string_view>

namespace fc {

// Optimal string alignment distance: an insertion, a deletion, a substitution or a swapped pair
// of neighbouring letters each count as one typo.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace fc
