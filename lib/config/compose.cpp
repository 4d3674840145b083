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

namespace {

// The group choices of one composition, in the order their files merge: the primary config's defaults, the
// experiment's (and its base experiments'), then groups only the command line names; the command line wins.
class GroupChoices {
 public:
  GroupChoices(const fs::path& config_dir, std::vector<std::string> groups, const YAML::Node& primary,
               const fs::path& primary_file, const std::vector<Override>& parsed)
      : config_dir_(config_dir), groups_(std::move(groups)), order_(read_defaults(primary, primary_file)),
        choices_(order_.begin(), order_.end()) {
    for (const auto& o : parsed) {
      if (o.kind != Override::Kind::kGroup) continue;
      cli_[o.key] = o.value;
      if (!choices_.count(o.key)) order_.emplace_back(o.key, o.value);
    }
  }

  // The experiment's merged keys (its defaults' choices recorded), empty without one; then the command
  // line's choices over every group.
  YAML::Node load_experiment() {
    YAML::Node experiment(YAML::NodeType::Map);
    if (choices_.count(kGlobalGroup) || cli_.count(kGlobalGroup))
      experiment = load_experiment(cli_.count(kGlobalGroup) ? cli_.at(kGlobalGroup) : choices_.at(kGlobalGroup), 0);
    for (const auto& [g, opt] : cli_) choices_[g] = opt;
    return experiment;
  }

  // Every chosen group's file under its group's key, merged in order (the experiment excepted).
  void merge_groups(YAML::Node& root) const {
    for (const auto& [group, unused] : order_) {
      if (group == kGlobalGroup) continue;
      YAML::Node wrapped(YAML::NodeType::Map);
      wrapped[group] = load_yaml_file(group_file(group, choices_.at(group)));
      merge_into(root, wrapped);
    }
  }

  const std::map<std::string, std::string>& choices() const { return choices_; }

 private:
  fs::path group_file(const std::string& group, const std::string& option) const {
    const fs::path dir = config_dir_ / group;
    if (!fs::is_directory(dir)) throw UserError(fmt::format("unknown config group '{}'{}", group, closest_hint(group, groups_)));
    const fs::path file = dir / (option + ".yaml");
    if (!fs::exists(file)) {
      throw UserError(fmt::format("no option '{}' in config group '{}'; available: {}", option, group,
                                  fmt::join(closest_names(option, list_options(dir), 100), ", ")));
    }
    return file;
  }

  // An experiment's defaults may name a base experiment (`- experiment: fmnist`): the base loads first and
  // this file merges over it, so a variant states only what differs. Its other defaults pick groups' options.
  YAML::Node load_experiment(const std::string& name, int depth) {
    if (depth > 8) throw UserError(fmt::format("experiment '{}': base experiments nest too deep (a cycle?)", name));
    const fs::path file = group_file(kGlobalGroup, name);
    YAML::Node node = load_yaml_file(file);
    YAML::Node merged(YAML::NodeType::Map);
    for (const auto& [g, opt] : read_defaults(node, file)) {
      if (g == kGlobalGroup) {
        merged = load_experiment(opt, depth + 1);
        continue;
      }
      if (!choices_.count(g)) order_.emplace_back(g, opt);
      choices_[g] = opt;
    }
    node.remove("defaults");
    merge_into(merged, node);
    return merged;
  }

  fs::path config_dir_;
  std::vector<std::string> groups_;
  std::vector<std::pair<std::string, std::string>> order_;
  std::map<std::string, std::string> choices_, cli_;
};

// The experiment's block for the chosen scale merged at the root (e.g. scales.smoke.train.iters), and
// `scales` removed.
void apply_scale(YAML::Node& root, const std::map<std::string, std::string>& choices) {
  const YAML::Node scales = child_of(root, "scales");
  if (!scales.IsDefined()) return;
  if (!choices.count(kScaleGroup)) {
    root.remove("scales");
    return;
  }
  const std::string scale = choices.at(kScaleGroup);
  const YAML::Node patch = child_of(scales, scale);
  if (!patch.IsDefined()) {
    std::vector<std::string> defined;
    for (const auto& kv : scales) defined.push_back(kv.first.as<std::string>());
    const auto experiment = choices.find(kGlobalGroup);
    throw UserError(fmt::format("experiment '{}' defines no scale '{}'; it defines: {}",
                                experiment == choices.end() ? std::string() : experiment->second, scale, fmt::join(defined, ", ")));
  }
  YAML::Node patch_copy = YAML::Clone(patch);
  root.remove("scales");
  if (patch_copy.IsMap()) merge_into(root, patch_copy);
}

}  // namespace

ComposedConfig compose_config(const fs::path& config_dir, const std::vector<std::string>& overrides) {
  const fs::path primary = config_dir / "config.yaml";
  if (!fs::exists(primary)) throw UserError(fmt::format("config file not found: {}", primary.string()));
  std::vector<Override> parsed;
  const std::vector<std::string> groups = list_dirs(config_dir);
  for (const auto& text : overrides) parsed.push_back(parse_override(text, groups));

  YAML::Node self = load_yaml_file(primary);
  GroupChoices choices(config_dir, groups, self, primary, parsed);
  const YAML::Node experiment = choices.load_experiment();
  // Groups first, then the primary config's own keys, then the experiment: later wins.
  YAML::Node root(YAML::NodeType::Map);
  choices.merge_groups(root);
  self.remove("defaults");
  merge_into(root, self);
  merge_into(root, experiment);
  apply_scale(root, choices.choices());

  for (const auto& o : parsed)
    if (o.kind != Override::Kind::kGroup) apply_override(root, o);
  resolve_interpolations(root);
  if (const auto declared = KeyDeclarations::load(config_dir)) declared->validate(root);
  return ComposedConfig{root, choices.choices(), overrides};
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
