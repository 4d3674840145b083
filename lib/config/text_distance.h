#pragma once
#include <string>
#include <vector>

namespace stanley {

// Levenshtein edit distance, for "did you mean" suggestions.
int edit_distance(const std::string& a, const std::string& b);

// The candidates closest to `word` (at most `max_count`), nearest first; used in error messages.
std::vector<std::string> closest_names(const std::string& word, const std::vector<std::string>& candidates,
                                       std::size_t max_count = 3);

// "; closest: a, b, c" for an error message about `word`, or "" when there are no candidates.
std::string closest_hint(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace stanley
