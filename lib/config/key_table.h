#pragma once
// The declared keys (config/key_declarations.h) as people read them: beside the values some compositions
// give them, grouped by their first name (train, sampler, ...). `stanley list` prints the text form;
// docs/keys.md and the README's group table are the markdown forms (`make key-table`, checked by CTest).

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

#include "config/key_declarations.h"

namespace stanley {

// A column of values: its heading and a composed config (an undefined node: no values).
using KeyColumn = std::pair<std::string, YAML::Node>;

// Plain text, one block per group: key, what it must be, its value in `column`, its meaning.
std::string key_listing(const KeyDeclarations& keys, const KeyColumn& column);
// Markdown: one table per group, a value column for each composition.
std::string key_markdown(const KeyDeclarations& keys, const std::vector<KeyColumn>& columns);
// Markdown: one row per group with its keys' short names (the README's table).
std::string key_group_summary(const KeyDeclarations& keys);

}  // namespace stanley
