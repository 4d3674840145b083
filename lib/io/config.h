#pragma once
// Hydra-style configuration on yaml-cpp.
//
// configs/config.yaml holds a `defaults` list of `group: option` pairs; each group is a folder of
// configs/ and each option a YAML file in it, placed under the key of its group. The `experiment`
// group is global (Hydra's `@package _global_`): its file merges at the root, and its own `defaults`
// list may choose other groups' options. The experiment's `scales.<name>` block is merged last,
// for the option picked in the `scale` group.
//
// Overrides, as on Hydra's command line:
//   group=option   pick an option        a.b=v    set an existing key (typed as a YAML scalar)
//   +a.b=v         add a new key         ++a.b=v  add or set
//   ~a.b           delete a key          ${a.b}   interpolation inside values
// Unknown keys, groups and options are UserErrors naming the closest valid ones.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/errors.h"

namespace stanley {

struct ComposedConfig {
  YAML::Node root;                               // resolved config, interpolations applied
  std::map<std::string, std::string> choices;    // group -> option actually used
  std::vector<std::string> overrides;            // as given, for overrides.yaml
};

ComposedConfig compose_config(const std::filesystem::path& config_dir,
                              const std::vector<std::string>& overrides);

// Read-only view with dotted-path access and typed getters.
class Config {
 public:
  Config() = default;
  explicit Config(YAML::Node root, std::string prefix = "");

  bool has(const std::string& key) const;
  // A missing key or a value of the wrong type is a UserError naming the full dotted key.
  template <class T>
  T get(const std::string& key) const;
  template <class T>
  T get(const std::string& key, const T& fallback) const {
    return has(key) ? get<T>(key) : fallback;
  }
  Config sub(const std::string& key) const;
  const YAML::Node& node() const { return root_; }
  std::string to_yaml() const;
  std::string full_key(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  // Bad input at config time: unless `ok`, a UserError "<full key> must be <limit> (got <value>)".
  void require(bool ok, const std::string& key, const std::string& limit) const;

 private:
  YAML::Node lookup(const std::string& key) const;
  YAML::Node root_;
  std::string prefix_;
};

// Helpers shared with the composer and tests.
std::vector<std::string> split_dotted(const std::string& key);
std::vector<std::string> all_dotted_keys(const YAML::Node& root);
std::string emit_yaml(const YAML::Node& node);
// 16 hex digits of FNV-1a over the text: identifies a resolved config.
std::string hash_text(const std::string& text);

}  // namespace stanley
