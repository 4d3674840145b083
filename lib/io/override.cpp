#include "io/override.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "io/errors.h"
#include "io/text_distance.h"
#include "io/yaml_tree.h"

namespace stanley {

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

YAML::Node override_value(const Override& o) {
  try {
    return YAML::Load(o.value.empty() ? "''" : o.value);
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("override '{}': value is not valid YAML: {}", o.text, e.msg));
  }
}

void apply_override(YAML::Node root, const Override& o) {
  const auto parts = split_dotted(o.key);
  const bool exists = find_path(root, parts).IsDefined();
  switch (o.kind) {
    case Override::Kind::kSet:
      if (!exists) {
        throw UserError(fmt::format("unknown config key or group '{}' in override '{}'{} (use +{} to add a new key)", o.key,
                                    o.text, closest_hint(o.key, all_dotted_keys(root)), o.text));
      }
      set_path(root, parts, override_value(o));
      break;
    case Override::Kind::kAdd:
      if (exists) {
        throw UserError(fmt::format("override '{}': key '{}' already exists (use {} or ++{})", o.text, o.key,
                                    o.text.substr(1), o.text.substr(1)));
      }
      set_path(root, parts, override_value(o));
      break;
    case Override::Kind::kForce:
      set_path(root, parts, override_value(o));
      break;
    case Override::Kind::kDelete:
      if (!remove_path(root, parts)) {
        throw UserError(fmt::format("cannot delete unknown config key '{}'{}", o.key, closest_hint(o.key, all_dotted_keys(root))));
      }
      break;
    case Override::Kind::kGroup:
      break;
  }
}

}  // namespace stanley
