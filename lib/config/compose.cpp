#include "config/compose.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>

#include "config/errors.h"
#include "config/interpolation.h"
#include "config/key_declarations.h"
#include "config/override.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

constexpr const char* kGlobalGroup = "experiment";  // merged at the root, like Hydra's _global_ package
constexpr const char* kScaleGroup = "scale";

std::vector<std::string> list_dirs(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}


// Ordered (group, option) pairs from a `defaults` list; `_self_` entries are ignored.
std::vector<std::pair<std::string, std::string>> read_defaults(const YAML::Node& node, const fs::path& where) {
  std::vector<std::pair<std::string, std::string>> out;
  const YAML::Node list = child_of(node, "defaults");
  if (!list.IsDefined()) return out;
  if (!list.IsSequence()) throw UserError(fmt::format("{}: `defaults` must be a list", where.string()));
  for (const auto& item : list) {
    if (item.IsScalar() && item.as<std::string>() == "_self_") continue;
    if (!item.IsMap() || item.size() != 1)
      throw UserError(fmt::format("{}: each defaults entry must be `group: option`", where.string()));
    for (const auto& kv : item) out.emplace_back(kv.first.as<std::string>(), kv.second.as<std::string>());
  }
  return out;
}

}  // namespace

std::vector<std::string> list_options(const fs::path& group_dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(group_dir)) return out;
  for (const auto& e : fs::directory_iterator(group_dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

ComposedConfig compose_config(const fs::path& config_dir, const std::vector<std::string>& overrides) {
  const fs::path primary = config_dir / "config.yaml";
  if (!fs::exists(primary)) throw UserError(fmt::format("config file not found: {}", primary.string()));
  const std::vector<std::string> groups = list_dirs(config_dir);

  std::vector<Override> parsed;
  for (const auto& text : overrides) parsed.push_back(parse_override(text, groups));

  YAML::Node self = load_yaml_file(primary);
  std::vector<std::pair<std::string, std::string>> order = read_defaults(self, primary);
  std::map<std::string, std::string> choices(order.begin(), order.end());
  std::map<std::string, std::string> cli_choices;
  for (const auto& o : parsed) {
    if (o.kind != Override::Kind::kGroup) continue;
    cli_choices[o.key] = o.value;
    if (!choices.count(o.key)) order.emplace_back(o.key, o.value);
  }

  auto group_file = [&](const std::string& group, const std::string& option) {
    const fs::path dir = config_dir / group;
    if (!fs::is_directory(dir)) throw UserError(fmt::format("unknown config group '{}'{}", group, closest_hint(group, groups)));
    const fs::path file = dir / (option + ".yaml");
    if (!fs::exists(file)) {
      throw UserError(fmt::format("no option '{}' in config group '{}'; available: {}", option, group,
                                  fmt::join(closest_names(option, list_options(dir), 100), ", ")));
    }
    return file;
  };

  // The experiment may pick other groups' options; the command line still wins.
  auto chosen = [&](const std::string& group) {
    return cli_choices.count(group) ? cli_choices.at(group) : choices.at(group);
  };
  // An experiment's defaults may name a base experiment (`- experiment: fmnist`): the base loads
  // first and this file merges over it, so a variant states only what differs.
  std::function<YAML::Node(const std::string&, int)> load_experiment = [&](const std::string& name, int depth) {
    if (depth > 8) throw UserError(fmt::format("experiment '{}': base experiments nest too deep (a cycle?)", name));
    const fs::path file = group_file(kGlobalGroup, name);
    YAML::Node node = load_yaml_file(file);
    YAML::Node merged(YAML::NodeType::Map);
    for (const auto& [g, opt] : read_defaults(node, file)) {
      if (g == kGlobalGroup) {
        merged = load_experiment(opt, depth + 1);
        continue;
      }
      if (!choices.count(g)) order.emplace_back(g, opt);
      choices[g] = opt;
    }
    node.remove("defaults");
    merge_into(merged, node);
    return merged;
  };
  YAML::Node experiment(YAML::NodeType::Map);
  if (choices.count(kGlobalGroup) || cli_choices.count(kGlobalGroup)) experiment = load_experiment(chosen(kGlobalGroup), 0);
  for (const auto& [g, opt] : cli_choices) choices[g] = opt;

  // Groups first, then the primary config's own keys, then the experiment: later wins.
  YAML::Node root(YAML::NodeType::Map);
  for (const auto& [group, unused] : order) {
    if (group == kGlobalGroup) continue;
    YAML::Node content = load_yaml_file(group_file(group, choices.at(group)));
    YAML::Node wrapped(YAML::NodeType::Map);
    wrapped[group] = content;
    merge_into(root, wrapped);
  }
  self.remove("defaults");
  merge_into(root, self);
  merge_into(root, experiment);

  // The experiment's block for the chosen scale, e.g. scales.smoke.train.iters.
  const YAML::Node scales = child_of(root, "scales");
  if (choices.count(kScaleGroup) && scales.IsDefined()) {
    const std::string scale = choices.at(kScaleGroup);
    const YAML::Node patch = child_of(scales, scale);
    if (!patch.IsDefined()) {
      std::vector<std::string> defined;
      for (const auto& kv : scales) defined.push_back(kv.first.as<std::string>());
      throw UserError(fmt::format("experiment '{}' defines no scale '{}'; it defines: {}", choices[kGlobalGroup], scale,
                                  fmt::join(defined, ", ")));
    }
    YAML::Node patch_copy = YAML::Clone(patch);
    root.remove("scales");
    if (patch_copy.IsMap()) merge_into(root, patch_copy);
  } else if (scales.IsDefined()) {
    root.remove("scales");
  }

  for (const auto& o : parsed)
    if (o.kind != Override::Kind::kGroup) apply_override(root, o);

  resolve_interpolations(root);
  if (const auto declared = KeyDeclarations::load(config_dir)) declared->validate(root);
  return ComposedConfig{root, choices, overrides};
}

Config compose_group(const fs::path& config_dir, const std::string& group, const std::string& option,
                     const std::vector<std::string>& overrides) {
  YAML::Node root(YAML::NodeType::Map);
  root[group] = load_yaml_file(config_dir / group / (option + ".yaml"));
  for (const auto& text : overrides) {
    Override o = parse_override(text, {});
    if (o.key.rfind(group + ".", 0) != 0) o.key = group + "." + o.key;
    apply_override(root, o);
  }
  if (const auto declared = KeyDeclarations::load(config_dir)) declared->validate(root);
  return Config(root).sub(group);
}

}  // namespace stanley
