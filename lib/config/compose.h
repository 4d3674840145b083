#pragma once
// Hydra-style composition of configs/ on yaml-cpp.
//
// configs/config.yaml holds a `defaults` list of `group: option` pairs; each group is a folder of
// configs/ and each option a YAML file in it, placed under the key of its group. The `experiment`
// group is global (Hydra's `@package _global_`): its file merges at the root, and its own `defaults`
// list may choose other groups' options. The experiment's `scales.<name>` block is merged last,
// for the option picked in the `scale` group. Then the command line's overrides (config/override.h),
// then ${a.b} interpolation (config/interpolation.h), then every key is checked against its declaration
// (configs/keys.yaml, config/key_declarations.h). Unknown keys, groups and options are UserErrors naming
// the closest valid ones; a value out of its declared range is a UserError naming the key.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/config.h"

namespace stanley {

struct ComposedConfig {
  YAML::Node root;                               // resolved config, interpolations applied
  std::map<std::string, std::string> choices;    // group -> option actually used
  std::vector<std::string> overrides;            // as given, for overrides.yaml
};

// The options of a group: the names of the YAML files in its folder, sorted (none if there is no folder).
std::vector<std::string> list_options(const std::filesystem::path& group_dir);

ComposedConfig compose_config(const std::filesystem::path& config_dir,
                              const std::vector<std::string>& overrides);

// A command's own options: configs/<group>/<option>.yaml alone, with overrides in the grammar above
// (keys may leave out the `<group>.` prefix); the view is of the group (`stanley diagnose`, launchers).
Config compose_group(const std::filesystem::path& config_dir, const std::string& group, const std::string& option,
                     const std::vector<std::string>& overrides);

}  // namespace stanley
