#include "config/key_table.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>

#include "config/yaml_tree.h"

namespace stanley {
namespace {

std::string group_of(const std::string& key) {
  const auto dot = key.find('.');
  return dot == std::string::npos ? "(top level)" : key.substr(0, dot);
}

// Declarations by group, groups in first-seen order of the sorted keys, top-level keys first.
std::vector<std::pair<std::string, std::vector<const KeyDeclaration*>>> by_group(const KeyDeclarations& keys) {
  std::vector<std::pair<std::string, std::vector<const KeyDeclaration*>>> out;
  std::map<std::string, std::size_t> index;
  out.emplace_back("(top level)", std::vector<const KeyDeclaration*>{});
  index["(top level)"] = 0;
  for (const auto& d : keys.all()) {
    const std::string g = group_of(d.key);
    if (!index.count(g)) index[g] = out.size(), out.emplace_back(g, std::vector<const KeyDeclaration*>{});
    out[index[g]].second.push_back(&d);
  }
  return out;
}

std::string value_in(const YAML::Node& root, const std::string& key) {
  if (!root.IsDefined()) return "";
  const YAML::Node n = find_path(root, split_dotted(key));
  if (!n.IsDefined()) return "—";
  return n.IsNull() ? "null" : one_line(n);
}

std::string cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string key_listing(const KeyDeclarations& keys, const KeyColumn& column) {
  std::string out = fmt::format("config keys ({}; configs/keys.yaml; — : not in this composition):\n", column.first);
  for (const auto& [group, decls] : by_group(keys)) {
    out += fmt::format("  {}\n", group);
    for (const auto* d : decls)
      out += fmt::format("    {:<28} = {:<16} {}. {}\n", d->key, value_in(column.second, d->key), d->describe(), d->meaning);
  }
  return out;
}

std::string key_markdown(const KeyDeclarations& keys, const std::vector<KeyColumn>& columns) {
  std::string out;
  for (const auto& [group, decls] : by_group(keys)) {
    out += fmt::format("\n### {}\n\n| key | must be |", group);
    for (const auto& c : columns) out += fmt::format(" {} |", c.first);
    out += " meaning |\n| --- | --- |";
    for (std::size_t i = 0; i < columns.size(); ++i) out += " --- |";
    out += " --- |\n";
    for (const auto* d : decls) {
      out += fmt::format("| `{}` | {} |", d->key, cell(d->describe()));
      for (const auto& c : columns) out += fmt::format(" {} |", cell(value_in(c.second, d->key)));
      out += fmt::format(" {} |\n", cell(d->meaning));
    }
  }
  return out;
}

std::string key_group_summary(const KeyDeclarations& keys) {
  std::string out = "| group | keys |\n| --- | --- |\n";
  for (const auto& [group, decls] : by_group(keys)) {
    std::vector<std::string> names;
    for (const auto* d : decls) names.push_back(group == "(top level)" ? d->key : d->key.substr(group.size() + 1));
    out += fmt::format("| {} | {} |\n", group, fmt::join(names, ", "));
  }
  return out;
}

}  // namespace stanley
