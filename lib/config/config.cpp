#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <type_traits>

#include "config/key_declarations.h"
#include "config/override_value.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"

namespace stanley {

Config::Config(YAML::Node root, std::string prefix) : root_(root), prefix_(std::move(prefix)) {
  if (const KeyDeclarations* declared = KeyDeclarations::installed()) declared->validate(root_, prefix_);
}

Config::Config(YAML::Node root, std::string prefix, Unchecked) : root_(root), prefix_(std::move(prefix)) {}

YAML::Node Config::lookup(const std::string& key) const { return find_path(root_, split_dotted(key)); }

bool Config::has(const std::string& key) const {
  YAML::Node n = lookup(key);
  return n.IsDefined() && !n.IsNull();
}

template <class T>
T Config::get(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined()) {
    throw UserError(fmt::format("missing config key '{}'{}", full_key(key), closest_hint(key, all_dotted_keys(root_))));
  }
  try {
    // A quoted value ('5', "true") is a string, as in Hydra: never read back as a number or bool.
    if constexpr (std::is_arithmetic_v<T>) {
      if (is_explicit_string(n)) throw YAML::BadConversion(YAML::Mark());
    }
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

void Config::require(bool ok, const std::string& key, const std::string& limit) const {
  if (ok) return;
  const YAML::Node v = lookup(key);
  throw UserError(fmt::format("{} must be {} (got {})", full_key(key), limit, one_line(v)));
}

Config Config::sub(const std::string& key) const {
  YAML::Node n = lookup(key);
  if (!n.IsDefined() || !n.IsMap()) throw UserError(fmt::format("missing config section '{}'", full_key(key)));
  return Config(n, full_key(key), Unchecked{});
}

std::string Config::to_yaml() const { return emit_yaml(root_); }

}  // namespace stanley
