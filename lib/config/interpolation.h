#pragma once
// ${a.b} interpolation inside a composed config, as in Hydra/OmegaConf.

#include <yaml-cpp/yaml.h>

namespace stanley {

// Replaces every ${key} in `root`'s values. A value that is exactly one ${...} takes the target's node
// (keeps its type); otherwise the target's scalar text is spliced into the string. Unknown keys and
// cycles are UserErrors.
void resolve_interpolations(YAML::Node root);

}  // namespace stanley
