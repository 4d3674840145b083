#include "config/key_declarations.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "config/errors.h"
#include "config/override_value.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

using Type = KeyDeclaration::Type;

const std::map<std::string, Type>& type_names() {
  static const std::map<std::string, Type> names{
      {"bool", Type::kBool},         {"int", Type::kInt},           {"real", Type::kReal},
      {"string", Type::kString},     {"path", Type::kPath},         {"int_list", Type::kIntList},
      {"real_list", Type::kRealList}, {"string_list", Type::kStringList}};
  return names;
}

double parse_bound(const std::string& text, const std::string& where) {
  if (text == "inf") return HUGE_VAL;
  if (text == "-inf") return -HUGE_VAL;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw UserError(fmt::format("{}: bound '{}' is not a number", where, text));
}

// "[lo, hi]", "(0, inf)": the brackets say whether each end is included.
void parse_interval(const std::string& text, const std::string& where, std::optional<double>& lo, std::optional<double>& hi,
                    bool& lo_open, bool& hi_open) {
  const auto comma = text.find(',');
  if (text.size() < 5 || comma == std::string::npos || (text.front() != '[' && text.front() != '(') ||
      (text.back() != ']' && text.back() != ')'))
    throw UserError(fmt::format("{}: an interval is written \"[lo, hi]\" (got '{}')", where, text));
  auto trim = [](std::string s) {
    s.erase(0, s.find_first_not_of(' '));
    s.erase(s.find_last_not_of(' ') + 1);
    return s;
  };
  const double a = parse_bound(trim(text.substr(1, comma - 1)), where);
  const double b = parse_bound(trim(text.substr(comma + 1, text.size() - comma - 2)), where);
  lo_open = text.front() == '(';
  hi_open = text.back() == ')';
  if (std::isfinite(a)) lo = a;
  if (std::isfinite(b)) hi = b;
}

bool in_interval(const KeyDeclaration& d, double v) {
  if (std::isnan(v)) return false;
  if (d.lo && (d.lo_open ? v <= *d.lo : v < *d.lo)) return false;
  if (d.hi && (d.hi_open ? v >= *d.hi : v > *d.hi)) return false;
  if (!d.lo && std::isinf(v) && v < 0) return false;  // unbounded ends are open: ±inf is never a setting
  if (!d.hi && std::isinf(v) && v > 0) return false;
  return true;
}

bool read_bool(const YAML::Node& n) {
  if (!n.IsScalar() || is_explicit_string(n)) return false;
  bool b = false;
  return YAML::convert<bool>::decode(n, b);
}

std::optional<double> read_number(const YAML::Node& n, bool integer) {
  if (!n.IsScalar() || is_explicit_string(n)) return std::nullopt;
  if (integer) {
    long long i = 0;
    if (!YAML::convert<long long>::decode(n, i)) return std::nullopt;
    return static_cast<double>(i);
  }
  double v = 0;
  if (!YAML::convert<double>::decode(n, v)) return std::nullopt;
  return v;
}

// Whether one scalar element satisfies the declaration's element type, range and choices.
bool element_ok(const KeyDeclaration& d, const YAML::Node& n) {
  switch (d.type) {
    case Type::kBool:
      return read_bool(n);
    case Type::kInt:
    case Type::kIntList:
    case Type::kReal:
    case Type::kRealList: {
      const bool integer = d.type == Type::kInt || d.type == Type::kIntList;
      const auto v = read_number(n, integer);
      return v && in_interval(d, *v);
    }
    case Type::kString:
    case Type::kPath:
    case Type::kStringList: {
      if (!n.IsScalar()) return false;
      const std::string s = n.as<std::string>();
      if (d.type == Type::kPath && s.empty()) return false;
      return d.choices.empty() || std::find(d.choices.begin(), d.choices.end(), s) != d.choices.end();
    }
  }
  return false;
}

bool value_ok(const KeyDeclaration& d, const YAML::Node& n) {
  if (n.IsNull()) return !d.null_means.empty();
  if (!d.list()) return element_ok(d, n);
  if (!n.IsSequence()) return false;
  const long size = static_cast<long>(n.size());
  if (size < d.min_length || (d.max_length >= 0 && size > d.max_length)) return false;
  for (const auto& e : n)
    if (!element_ok(d, e)) return false;
  return true;
}

}  // namespace

bool KeyDeclaration::numeric() const {
  return type == Type::kInt || type == Type::kReal || type == Type::kIntList || type == Type::kRealList;
}

bool KeyDeclaration::list() const {
  return type == Type::kIntList || type == Type::kRealList || type == Type::kStringList;
}

std::string KeyDeclaration::type_name() const {
  for (const auto& [name, t] : type_names())
    if (t == type) return name;
  return "?";
}

std::string KeyDeclaration::describe() const {
  std::string element;
  switch (type) {
    case Type::kBool: element = "true or false"; break;
    case Type::kInt: case Type::kIntList: element = list() ? "integers" : "an integer"; break;
    case Type::kReal: case Type::kRealList: element = list() ? "numbers" : "a number"; break;
    case Type::kString: case Type::kStringList: element = list() ? "names" : "a string"; break;
    case Type::kPath: element = "a non-empty path"; break;
  }
  if (!range.empty()) element += " in " + range;
  if (!choices.empty()) element = fmt::format("{} {}", list() ? "names from" : "one of", fmt::join(choices, ", "));
  std::string out = element;
  if (list()) {
    std::string count;
    if (max_length >= 0 && min_length == max_length) count = fmt::format("{} ", min_length);
    else if (max_length >= 0) count = fmt::format("{} to {} ", min_length, max_length);
    else if (min_length > 0) count = fmt::format("at least {} ", min_length);
    out = fmt::format("a list of {}{}", count, element);
  }
  if (!null_means.empty()) out += fmt::format(" or null ({})", null_means);
  return out;
}

std::optional<KeyDeclarations> KeyDeclarations::load(const fs::path& config_dir) {
  const fs::path file = config_dir / "keys.yaml";
  if (!fs::exists(file)) return std::nullopt;
  return parse(load_yaml_file(file), file.string());
}

KeyDeclarations KeyDeclarations::parse(const YAML::Node& root, const std::string& where) {
  KeyDeclarations out;
  for (const auto& kv : root) {
    KeyDeclaration d;
    d.key = kv.first.as<std::string>();
    const std::string at = fmt::format("{}: {}", where, d.key);
    const YAML::Node& spec = kv.second;
    if (!spec.IsMap()) throw UserError(at + ": a declaration is a map {type, range, choices, null_ok, meaning}");
    for (const auto& field : spec) {
      const std::string name = field.first.as<std::string>();
      const YAML::Node& v = field.second;
      if (name == "type") {
        const auto it = type_names().find(v.as<std::string>());
        if (it == type_names().end()) throw UserError(fmt::format("{}: unknown type '{}'", at, v.as<std::string>()));
        d.type = it->second;
      } else if (name == "range") {
        d.range = v.as<std::string>();
        parse_interval(d.range, at, d.lo, d.hi, d.lo_open, d.hi_open);
      } else if (name == "length") {
        std::optional<double> lo, hi;
        bool lo_open = false, hi_open = false;
        parse_interval(v.as<std::string>(), at, lo, hi, lo_open, hi_open);
        d.min_length = lo ? static_cast<long>(*lo) : 0;
        d.max_length = hi ? static_cast<long>(*hi) : -1;
      } else if (name == "choices") {
        d.choices = v.as<std::vector<std::string>>();
      } else if (name == "null_ok") {
        d.null_means = v.as<std::string>();
      } else if (name == "meaning") {
        d.meaning = v.as<std::string>();
      } else {
        throw UserError(fmt::format("{}: unknown field '{}' (type, range, length, choices, null_ok, meaning)", at, name));
      }
    }
    if (d.meaning.empty()) throw UserError(at + ": every key says what it means (meaning: ...)");
    if ((d.lo || d.hi) && !d.numeric()) throw UserError(at + ": a range needs a numeric type");
    out.decls_.push_back(std::move(d));
  }
  std::sort(out.decls_.begin(), out.decls_.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
  return out;
}

const KeyDeclaration* KeyDeclarations::find(const std::string& key) const {
  const auto it = std::lower_bound(decls_.begin(), decls_.end(), key, [](const auto& d, const std::string& k) { return d.key < k; });
  return it != decls_.end() && it->key == key ? &*it : nullptr;
}

namespace {
std::optional<KeyDeclarations>& installed_declarations() {
  static std::optional<KeyDeclarations> declarations;
  return declarations;
}
}  // namespace

void KeyDeclarations::install(std::optional<KeyDeclarations> declarations) {
  installed_declarations() = std::move(declarations);
}

const KeyDeclarations* KeyDeclarations::installed() {
  const auto& d = installed_declarations();
  return d ? &*d : nullptr;
}

void KeyDeclarations::validate(const YAML::Node& root, const std::string& prefix) const {
  std::vector<std::string> names;
  for (const auto& d : decls_) names.push_back(d.key);
  auto is_parent = [&](const std::string& key) {
    const std::string head = key + ".";
    const auto it = std::lower_bound(names.begin(), names.end(), head);
    return it != names.end() && it->rfind(head, 0) == 0;
  };
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& node, const std::string& key) {
    if (const KeyDeclaration* d = key.empty() ? nullptr : find(key)) {
      if (!value_ok(*d, node))
        throw UserError(fmt::format("{} must be {} (got {})", key, d->describe(), node.IsNull() ? "null" : one_line(node)));
      return;
    }
    if (node.IsMap()) {
      for (const auto& kv : node) walk(kv.second, key.empty() ? kv.first.as<std::string>() : key + "." + kv.first.as<std::string>());
      return;
    }
    if (is_parent(key)) throw UserError(fmt::format("{} must be a map of its keys (got {})", key, one_line(node)));
    throw UserError(fmt::format("unknown config key '{}'{}", key, closest_hint(key, names)));
  };
  walk(root, prefix);
}

}  // namespace stanley
