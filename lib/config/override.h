#pragma once
// One command-line override in Hydra's grammar:
//   group=option   pick an option        a.b=v    set an existing key (typed as a YAML scalar)
//   +a.b=v         add a new key         ++a.b=v  add or set
//   ~a.b           delete a key

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace stanley {

struct Override {
  enum class Kind { kGroup, kSet, kAdd, kForce, kDelete } kind = Kind::kSet;
  std::string key, value, text;  // text: as typed, for messages
};

// `groups` are the config groups: `key=value` on one of them picks an option. Malformed text is a UserError.
Override parse_override(const std::string& text, const std::vector<std::string>& groups);

// The override's value as a YAML scalar or flow node ("0.1" -> float, "[1, 2]" -> sequence).
YAML::Node override_value(const Override& o);

// Applies a key override (not kGroup) to `root`: unknown keys for `=` and `~`, or an existing one for
// `+`, are UserErrors naming the closest keys.
void apply_override(YAML::Node root, const Override& o);

}  // namespace stanley
