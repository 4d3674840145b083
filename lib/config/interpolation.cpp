#include "config/interpolation.h"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <regex>
#include <set>
#include <string>

#include "config/errors.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"

namespace stanley {

void resolve_interpolations(YAML::Node root) {
  static const std::regex pattern(R"(\$\{([^}]+)\})");
  std::function<YAML::Node(const YAML::Node&, std::set<std::string>&)> resolve_node;
  std::function<YAML::Node(const std::string&, std::set<std::string>&)> resolve_key =
      [&](const std::string& key, std::set<std::string>& stack) -> YAML::Node {
    // OmegaConf's environment resolver: ${oc.env:NAME} or ${oc.env:NAME,default} (a string).
    if (key.rfind("oc.env:", 0) == 0) {
      const std::string arg = key.substr(7);
      const auto comma = arg.find(',');
      const std::string name = arg.substr(0, comma);
      if (const char* v = std::getenv(name.c_str())) return YAML::Node(std::string(v));
      if (comma != std::string::npos) {
        std::string fallback = arg.substr(comma + 1);
        while (!fallback.empty() && fallback.front() == ' ') fallback.erase(0, 1);
        return YAML::Node(fallback);
      }
      throw UserError(fmt::format("interpolation ${{{}}}: environment variable {} is not set (give a default: "
                                  "${{oc.env:{},DEFAULT}})", key, name, name));
    }
    if (stack.count(key)) throw UserError(fmt::format("interpolation cycle through ${{{}}}", key));
    YAML::Node target = find_path(root, split_dotted(key));
    if (!target.IsDefined()) {
      throw UserError(fmt::format("interpolation ${{{}}} names no key{}", key, closest_hint(key, all_dotted_keys(root))));
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

}  // namespace stanley
