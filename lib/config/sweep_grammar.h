#pragma once
// Hydra-style multirun grammar: a sweep's command-line overrides expanded into jobs.
//
//   key=a,b,c            sweep over the values (commas inside [] {} () do not split)
//   key=range(a,b[,s])   a, a+s, ... < b (Hydra's range; integers stay integers)
//   key=zip(a,b,c)       all zip(...) overrides vary together, element by element (equal lengths)
//   anything else        the same in every job
// Jobs are the cartesian product of the swept keys (the zip group counts as one), the first key
// varying slowest, in command-line order.

#include <string>
#include <vector>

namespace stanley {

// One job's overrides (each `key=value`, in the command line's order).
using JobOverrides = std::vector<std::string>;

std::vector<JobOverrides> expand_sweep(const std::vector<std::string>& overrides);

// Splits on commas at bracket depth 0 ("a,[1,2],b" -> a | [1,2] | b).
std::vector<std::string> split_top_level(const std::string& text);

}  // namespace stanley
