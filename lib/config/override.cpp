#include "config/override.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <regex>

#include "config/errors.h"
#include "config/override_value.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"

namespace stanley {

Override parse_override(const std::string& text, const std::vector<std::string>& groups) {
  // config.yaml is UTF-8: bytes that are not would be written so that they read back as other text.
  if (!valid_utf8(text)) throw UserError(fmt::format("override '{}' is not valid UTF-8", text));
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

YAML::Node override_value(const Override& o) { return parse_override_value(o.value, o.text); }

namespace {

// What a value is, as Config::get will read it: the check below refuses `train.iters=abc` when the
// override is composed (so `--cfg job` shows it too), as Hydra's structured configs do.
enum class ValueKind { kNull, kBool, kNumber, kString, kList, kDict };

ValueKind value_kind(const YAML::Node& node) {
  if (node.IsNull()) return ValueKind::kNull;
  if (node.IsSequence()) return ValueKind::kList;
  if (node.IsMap()) return ValueKind::kDict;
  if (is_explicit_string(node)) return ValueKind::kString;
  bool b;
  double d;
  if (YAML::convert<bool>::decode(node, b)) return ValueKind::kBool;
  if (YAML::convert<double>::decode(node, d)) return ValueKind::kNumber;
  return ValueKind::kString;
}

const char* kind_name(ValueKind k) {
  switch (k) {
    case ValueKind::kNull: return "null";
    case ValueKind::kBool: return "a bool";
    case ValueKind::kNumber: return "a number";
    case ValueKind::kString: return "a string";
    case ValueKind::kList: return "a list";
    case ValueKind::kDict: return "a dict";
  }
  return "?";
}

// Null on either side, interpolations and strings replacing strings are always allowed; ints and floats
// mix (the literal in a config file does not say which one a key means).
void check_same_kind(const YAML::Node& current, const YAML::Node& value, const Override& o) {
  const ValueKind was = value_kind(current), now = value_kind(value);
  if (was == now || was == ValueKind::kNull || now == ValueKind::kNull) return;
  if (value.IsScalar() && value.Scalar().rfind("${", 0) == 0) return;
  if (was == ValueKind::kString && now != ValueKind::kList && now != ValueKind::kDict) return;
  throw UserError(fmt::format("override '{}': {} must be {} like its default ({}), not {}", o.text, o.key,
                              kind_name(was), one_line(current), kind_name(now)));
}

// Hydra updates with merge: a dict assigned to an existing dict changes the keys it names and keeps
// the others (eval.grid={n: 100} keeps lo and hi); anything else replaces.
void set_merging(YAML::Node root, const std::vector<std::string>& parts, const YAML::Node& value) {
  YAML::Node existing = find_path(root, parts);
  if (existing.IsDefined() && existing.IsMap() && value.IsMap()) {
    for (const auto& kv : value) {
      std::vector<std::string> sub = parts;
      sub.push_back(kv.first.as<std::string>());
      set_merging(root, sub, kv.second);
    }
    return;
  }
  set_path(root, parts, value);
}

}  // namespace

void apply_override(YAML::Node root, const Override& o) {
  const auto parts = split_dotted(o.key);
  const bool exists = find_path(root, parts).IsDefined();
  switch (o.kind) {
    case Override::Kind::kSet:
      if (!exists) {
        throw UserError(fmt::format("unknown config key or group '{}' in override '{}'{} (use +{} to add a new key)", o.key,
                                    o.text, closest_hint(o.key, all_dotted_keys(root)), o.text));
      }
      check_same_kind(find_path(root, parts), override_value(o), o);
      set_merging(root, parts, override_value(o));
      break;
    case Override::Kind::kAdd:
      if (exists) {
        throw UserError(fmt::format("override '{}': key '{}' already exists (use {} or ++{})", o.text, o.key,
                                    o.text.substr(1), o.text.substr(1)));
      }
      set_path(root, parts, override_value(o));
      break;
    case Override::Kind::kForce:
      if (exists) check_same_kind(find_path(root, parts), override_value(o), o);
      set_merging(root, parts, override_value(o));
      break;
    case Override::Kind::kDelete:
      // ~key=value deletes only when the key holds that value (Hydra): a guard, not a second spelling.
      if (exists && !o.value.empty()) {
        const YAML::Node current = find_path(root, parts);
        const YAML::Node wanted = override_value(o);
        if (emit_yaml(current) != emit_yaml(wanted) && !(current.IsScalar() && wanted.IsScalar() && current.Scalar() == wanted.Scalar()))
          throw UserError(fmt::format("override '{}': {} is {}, not {}; nothing deleted", o.text, o.key,
                                      current.IsScalar() ? current.Scalar() : emit_yaml(current), o.value));
      }
      if (!remove_path(root, parts)) {
        throw UserError(fmt::format("cannot delete unknown config key '{}'{}", o.key, closest_hint(o.key, all_dotted_keys(root))));
      }
      break;
    case Override::Kind::kGroup:
      break;
  }
}

}  // namespace stanley
