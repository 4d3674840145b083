#include "io/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <regex>
#include <set>

#include "io/text_distance.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

constexpr const char* kGlobalGroup = "experiment";  // merged at the root, like Hydra's _global_ package
constexpr const char* kScaleGroup = "scale";

YAML::Node load_yaml_file(const fs::path& path) {
  if (!fs::exists(path)) throw UserError(fmt::format("config file not found: {}", path.string()));
  try {
    YAML::Node node = YAML::LoadFile(path.string());
    if (node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) throw UserError(fmt::format("{}: top level must be a mapping", path.string()));
    return node;
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}: YAML syntax error at line {}: {}", path.string(), e.mark.line + 1, e.msg));
  }
}

// Recursive deep merge: maps merge key by key, anything else replaces. Clones, since yaml-cpp nodes alias.
void merge_into(YAML::Node dst, const YAML::Node& src) {
  for (const auto& kv : src) {
    const std::string key = kv.first.as<std::string>();
    YAML::Node existing = dst[key];
    if (existing.IsDefined() && existing.IsMap() && kv.second.IsMap()) {
      merge_into(existing, kv.second);
    } else {
      dst[key] = YAML::Clone(kv.second);
    }
  }
}

// Child of a map without inserting it (non-const operator[] would create a zombie entry).
YAML::Node child_of(const YAML::Node& node, const std::string& key) {
  if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& cnode = node;
  return cnode[key];
}

YAML::Node find_path(const YAML::Node& root, const std::vector<std::string>& parts) {
  YAML::Node cur = root;
  for (const auto& p : parts) {
    YAML::Node next = child_of(cur, p);
    if (!next.IsDefined()) return next;
    cur.reset(next);  // rebind, never assign: assignment would write into the document
  }
  return cur;
}

void set_path(YAML::Node node, const std::vector<std::string>& parts, std::size_t i, const YAML::Node& value) {
  if (i + 1 == parts.size()) {
    node[parts[i]] = value;
    return;
  }
  const YAML::Node child = child_of(node, parts[i]);
  if (!child.IsDefined() || !child.IsMap()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
  set_path(node[parts[i]], parts, i + 1, value);
}

bool remove_path(YAML::Node root, const std::vector<std::string>& parts) {
  std::vector<std::string> parent_parts(parts.begin(), parts.end() - 1);
  YAML::Node parent = find_path(root, parent_parts);
  if (!parent.IsDefined() || !parent.IsMap() || !child_of(parent, parts.back()).IsDefined()) return false;
  return parent.remove(parts.back());
}

void collect_keys(const YAML::Node& node, const std::string& prefix, std::vector<std::string>& out) {
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = prefix.empty() ? kv.first.as<std::string>() : prefix + "." + kv.first.as<std::string>();
    out.push_back(key);
    collect_keys(kv.second, key, out);
  }
}

std::vector<std::string> list_dirs(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> list_options(const fs::path& group_dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(group_dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string suggest(const std::string& word, const std::vector<std::string>& candidates) {
  if (candidates.empty()) return "";
  return fmt::format("; closest: {}", join(closest_names(word, candidates)));
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

YAML::Node parse_value(const std::string& text, const std::string& override_text) {
  try {
    return YAML::Load(text.empty() ? "''" : text);
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("override '{}': value is not valid YAML: {}", override_text, e.msg));
  }
}

// ${a.b} interpolation. A value that is exactly one ${...} takes the target's node (keeps its type);
// otherwise the target's scalar text is spliced into the string.
void resolve_interpolations(YAML::Node root) {
  static const std::regex pattern(R"(\$\{([^}]+)\})");
  std::function<YAML::Node(const YAML::Node&, std::set<std::string>&)> resolve_node;
  std::function<YAML::Node(const std::string&, std::set<std::string>&)> resolve_key =
      [&](const std::string& key, std::set<std::string>& stack) -> YAML::Node {
    if (stack.count(key)) throw UserError(fmt::format("interpolation cycle through ${{{}}}", key));
    YAML::Node target = find_path(root, split_dotted(key));
    if (!target.IsDefined()) {
      throw UserError(fmt::format("interpolation ${{{}}} names no key{}", key, suggest(key, all_dotted_keys(root))));
    }
    stack.insert(key);
    YAML::Node out = resolve_node(target, stack);
    stack.erase(key);
    return out;
  };
  resolve_node = [&](const YAML::Node& node, std::set<std::string>& stack) -> YAML::Node {
    if (!node.IsScalar()) return node;
    const std::string text = node.Scalar();
    std::smatch m;
    if (!std::regex_search(text, m, pattern)) return node;
    if (m.position(0) == 0 && static_cast<std::size_t>(m.length(0)) == text.size()) return resolve_key(m[1], stack);
    std::string out;
    auto begin = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
      out.append(begin, text.cbegin() + it->position(0));
      YAML::Node v = resolve_key((*it)[1], stack);
      if (!v.IsScalar()) throw UserError(fmt::format("interpolation {} inside a string must name a scalar", it->str()));
      out += v.Scalar();
      begin = text.cbegin() + it->position(0) + it->length(0);
    }
    out.append(begin, text.cend());
    return YAML::Node(out);
  };
  std::function<void(YAML::Node)> walk = [&](YAML::Node node) {
    if (node.IsMap()) {
      for (auto kv : node) {
        std::set<std::string> stack;
        if (kv.second.IsScalar()) {
          kv.second = YAML::Clone(resolve_node(kv.second, stack));
        } else {
          walk(kv.second);
        }
      }
    } else if (node.IsSequence()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        std::set<std::string> stack;
        if (node[i].IsScalar()) node[i] = YAML::Clone(resolve_node(node[i], stack));
        else walk(node[i]);
      }
    }
  };
  walk(root);
}

struct Override {
  enum class Kind { kGroup, kSet, kAdd, kForce, kDelete } kind;
  std::string key, value, text;
};

Override parse_override(const std::string& text, const std::vector<std::string>& groups) {
  Override o;
  o.text = text;
  std::string body = text;
  if (body.rfind("++", 0) == 0) {
    o.kind = Override::Kind::kForce;
    body = body.substr(2);
  } else if (body.rfind("+", 0) == 0) {
    o.kind = Override::Kind::kAdd;
    body = body.substr(1);
  } else if (body.rfind("~", 0) == 0) {
    o.kind = Override::Kind::kDelete;
    body = body.substr(1);
  } else {
    o.kind = Override::Kind::kSet;
  }
  const auto eq = body.find('=');
  if (eq == std::string::npos && o.kind != Override::Kind::kDelete)
    throw UserError(fmt::format("override '{}' is not of the form key=value (or group=option, +key=value, ~key)", text));
  o.key = body.substr(0, eq);
  if (eq != std::string::npos) o.value = body.substr(eq + 1);
  static const std::regex key_re(R"([A-Za-z_][A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]+)*)");
  if (!std::regex_match(o.key, key_re)) throw UserError(fmt::format("override '{}': '{}' is not a valid key", text, o.key));
  if (o.kind == Override::Kind::kSet && std::find(groups.begin(), groups.end(), o.key) != groups.end())
    o.kind = Override::Kind::kGroup;
  return o;
}

}  // namespace

std::vector<std::string> split_dotted(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = key.find('.', start);
    parts.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::vector<std::string> all_dotted_keys(const YAML::Node& root) {
  std::vector<std::string> out;
  collect_keys(root, "", out);
  return out;
}

std::string emit_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

void Config::require(bool ok, const std::string& key, const std::string& limit) const {
  if (ok) return;
  const YAML::Node v = lookup(key);
  throw UserError(fmt::format("{} must be {} (got {})", full_key(key), limit, v.IsScalar() ? v.Scalar() : emit_yaml(v)));
}

std::string hash_text(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
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
    if (!fs::is_directory(dir)) throw UserError(fmt::format("unknown config group '{}'{}", group, suggest(group, groups)));
    const fs::path file = dir / (option + ".yaml");
    if (!fs::exists(file)) {
      throw UserError(fmt::format("no option '{}' in config group '{}'; available: {}", option, group,
                                  join(closest_names(option, list_options(dir), 100))));
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
                                  join(defined)));
    }
    YAML::Node patch_copy = YAML::Clone(patch);
    root.remove("scales");
    if (patch_copy.IsMap()) merge_into(root, patch_copy);
  } else if (scales.IsDefined()) {
    root.remove("scales");
  }

  for (const auto& o : parsed) {
    if (o.kind == Override::Kind::kGroup) continue;
    const auto parts = split_dotted(o.key);
    const bool exists = find_path(root, parts).IsDefined();
    switch (o.kind) {
      case Override::Kind::kSet:
        if (!exists) {
          throw UserError(fmt::format("unknown config key or group '{}' in override '{}'{} (use +{} to add a new key)", o.key,
                                      o.text, suggest(o.key, all_dotted_keys(root)), o.text));
        }
        set_path(root, parts, 0, parse_value(o.value, o.text));
        break;
      case Override::Kind::kAdd:
        if (exists) throw UserError(fmt::format("override '{}': key '{}' already exists (use {} or ++{})", o.text, o.key, o.text.substr(1), o.text.substr(1)));
        set_path(root, parts, 0, parse_value(o.value, o.text));
        break;
      case Override::Kind::kForce:
        set_path(root, parts, 0, parse_value(o.value, o.text));
        break;
      case Override::Kind::kDelete:
        if (!remove_path(root, parts)) {
          throw UserError(fmt::format("cannot delete unknown config key '{}'{}", o.key, suggest(o.key, all_dotted_keys(root))));
        }
        break;
      case Override::Kind::kGroup:
        break;
    }
  }

  resolve_interpolations(root);
  return ComposedConfig{root, choices, overrides};
}

Config::Config(YAML::Node root, std::string prefix) : root_(root), prefix_(std::move(prefix)) {}

YAML::Node Config::lookup(const std::string& key) const { return find_path(root_, split_dotted(key)); }

bool Config::has(const std::string& key) const {
  YAML::Node n = lookup(key);
  return n.IsDefined() && !n.IsNull();
}

template <class T>
T Config::get(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined()) {
    throw UserError(fmt::format("missing config key '{}'{}", full_key(key), suggest(key, all_dotted_keys(root_))));
  }
  try {
    return n.as<T>();
  } catch (const YAML::Exception&) {
    std::string shown = emit_yaml(n).substr(0, 60);
    std::replace(shown.begin(), shown.end(), '\n', ' ');
    while (!shown.empty() && shown.back() == ' ') shown.pop_back();
    throw UserError(fmt::format("config key '{}' has value '{}' of the wrong type", full_key(key), shown));
  }
}

template bool Config::get<bool>(const std::string&) const;
template int Config::get<int>(const std::string&) const;
template long Config::get<long>(const std::string&) const;
template long long Config::get<long long>(const std::string&) const;
template unsigned long Config::get<unsigned long>(const std::string&) const;
template double Config::get<double>(const std::string&) const;
template std::string Config::get<std::string>(const std::string&) const;
template std::vector<std::string> Config::get<std::vector<std::string>>(const std::string&) const;
template std::vector<double> Config::get<std::vector<double>>(const std::string&) const;
template std::vector<long> Config::get<std::vector<long>>(const std::string&) const;

Config Config::sub(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || !n.IsMap()) throw UserError(fmt::format("missing config section '{}'", full_key(key)));
  return Config(n, full_key(key));
}

std::string Config::to_yaml() const { return emit_yaml(root_); }

}  // namespace stanley
