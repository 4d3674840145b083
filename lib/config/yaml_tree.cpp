#include "config/yaml_tree.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <regex>
#include <sstream>

#include "config/errors.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

void set_path_from(YAML::Node node, const std::vector<std::string>& parts, std::size_t i, const YAML::Node& value) {
  if (i + 1 == parts.size()) {
    node[parts[i]] = value;
    return;
  }
  const YAML::Node child = child_of(node, parts[i]);
  if (!child.IsDefined() || !child.IsMap()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
  set_path_from(node[parts[i]], parts, i + 1, value);
}

void collect_keys(const YAML::Node& node, const std::string& prefix, std::vector<std::string>& out) {
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = prefix.empty() ? kv.first.as<std::string>() : prefix + "." + kv.first.as<std::string>();
    out.push_back(key);
    collect_keys(kv.second, key, out);
  }
}

}  // namespace

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int extra = c < 0x80 ? 0 : (c >> 5) == 0x6 ? 1 : (c >> 4) == 0xE ? 2 : (c >> 3) == 0x1E ? 3 : -1;
    if (extra < 0 || i + extra >= text.size() + (extra == 0 ? 1 : 0)) return false;
    std::uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static const std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string one_line(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  std::string text = emit_yaml(node);
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

namespace {

// Keys are names: a list or a map as a key (`[a, b]: 1`, valid YAML) has no dotted spelling.
void check_keys(const YAML::Node& node, const std::string& where) {
  if (node.IsMap()) {
    for (const auto& kv : node) {
      if (kv.first.IsMap() || kv.first.IsSequence())
        throw UserError(fmt::format("{}: line {}: a key must be a name, not a {}", where, kv.first.Mark().line + 1,
                                    kv.first.IsMap() ? "mapping" : "list"));
      check_keys(kv.second, where);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) check_keys(item, where);
  }
}

}  // namespace

YAML::Node parse_yaml_text(const std::string& text, const std::string& where) {
  // config.yaml is written as UTF-8; other bytes would come back as other text.
  if (!valid_utf8(text)) throw UserError(fmt::format("{}: not valid UTF-8", where));
  // YAML's character set is the printable one; yaml-cpp reads a raw NUL or form feed anyway and then
  // cannot write the key back as it read it.
  int line = 1;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
      throw UserError(fmt::format("{}: line {}: control character 0x{:02X} (YAML allows only printable characters)", where,
                                  line, static_cast<unsigned>(c)));
  }
  try {
    YAML::Node node = YAML::Load(text);
    if (node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) throw UserError(fmt::format("{}: top level must be a mapping", where));
    check_keys(node, where);
    return node;
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}: YAML syntax error at line {}: {}", where, e.mark.line + 1, e.msg));
  }
}

YAML::Node load_yaml_file(const fs::path& path) {
  if (!fs::exists(path)) throw UserError(fmt::format("config file not found: {}", path.string()));
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw UserError(fmt::format("cannot read config file {}", path.string()));
  return parse_yaml_text(text.str(), path.string());
}

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

void set_path(YAML::Node root, const std::vector<std::string>& parts, const YAML::Node& value) {
  set_path_from(root, parts, 0, value);
}

bool remove_path(YAML::Node root, const std::vector<std::string>& parts) {
  std::vector<std::string> parent_parts(parts.begin(), parts.end() - 1);
  YAML::Node parent = find_path(root, parent_parts);
  if (!parent.IsDefined() || !parent.IsMap() || !child_of(parent, parts.back()).IsDefined()) return false;
  return parent.remove(parts.back());
}

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

namespace {

// A map key YAML 1.1 readers (PyYAML) would turn into a bool, null or number: written quoted.
bool key_needs_quotes(const std::string& key) {
  static const std::regex special(R"((y|n|yes|no|on|off|true|false|null|~)|[-+.0-9].*)", std::regex::icase);
  return key.empty() || std::regex_match(key, special);
}

// Like `out << node`, except that strings which must stay strings ('5', yes, 0x10: quoted or tagged
// !!str when read) are written double-quoted, which every YAML reader (PyYAML too) takes as a string.
void emit_node(YAML::Emitter& out, const YAML::Node& node) {
  const bool flow = node.Style() == YAML::EmitterStyle::Flow;
  switch (node.Type()) {
    case YAML::NodeType::Map:
      if (flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const auto& kv : node) {
        out << YAML::Key;
        if (kv.first.IsScalar() && key_needs_quotes(kv.first.Scalar())) out << YAML::DoubleQuoted << kv.first.Scalar();
        else emit_node(out, kv.first);
        out << YAML::Value;
        emit_node(out, kv.second);
      }
      out << YAML::EndMap;
      break;
    case YAML::NodeType::Sequence:
      if (flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const auto& item : node) emit_node(out, item);
      out << YAML::EndSeq;
      break;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "!!str" || tag == "tag:yaml.org,2002:str") out << YAML::DoubleQuoted << node.Scalar();
      else out << node.Scalar();
      break;
    }
    default:
      out << YAML::Null;
  }
}

}  // namespace

std::string emit_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  emit_node(out, node);
  return std::string(out.c_str()) + "\n";
}

std::string hash_text(const std::string& text) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

}  // namespace stanley
