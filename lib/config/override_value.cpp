#include "config/override_value.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cctype>
#include <cmath>
#include <regex>

#include "config/errors.h"

namespace stanley {
namespace {

const char* kStrTag = "!";  // what yaml-cpp gives a quoted scalar; emit_yaml writes such strings quoted

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A float as YAML 1.1 readers take it: always a '.', and .inf/.nan spelled the YAML way.
std::string float_text(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".") == std::string::npos) {
    const auto e = s.find_first_of("eE");
    if (e == std::string::npos) s += ".0";
    else s.insert(e, ".0");
  }
  return s;
}

YAML::Node string_node(const std::string& s) {
  YAML::Node n(s);
  n.SetTag(kStrTag);
  return n;
}

class Parser {
 public:
  Parser(const std::string& text, const std::string& context) : t_(text), context_(context) {}

  YAML::Node value_at_top() {
    skip_space();
    if (pos_ == t_.size()) return string_node("");  // key= : the empty string, as Hydra
    YAML::Node v = element(/*top=*/true);
    skip_space();
    if (pos_ != t_.size()) fail(fmt::format("unexpected '{}' at position {}", t_[pos_], pos_));
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw UserError(fmt::format("override '{}': {}", context_, what));
  }
  void skip_space() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t')) ++pos_;
  }
  bool at(char c) const { return pos_ < t_.size() && t_[pos_] == c; }

  YAML::Node element(bool top) {
    skip_space();
    if (at('\'') || at('"')) return quoted();
    if (at('[')) return list();
    if (at('{')) return dict();
    return primitive(top);
  }

  YAML::Node quoted() {
    const char q = t_[pos_++];
    std::string out;
    while (pos_ < t_.size() && t_[pos_] != q) {
      if (t_[pos_] == '\\' && pos_ + 1 < t_.size() && (t_[pos_ + 1] == q || t_[pos_ + 1] == '\\')) ++pos_;
      out += t_[pos_++];
    }
    if (!at(q)) fail(fmt::format("unterminated {} quote", q == '\'' ? "single" : "double"));
    ++pos_;
    return string_node(out);
  }

  // The comma-separated items of a list or dict up to `close` (the opener already read).
  template <class ReadItem>
  void items(char close, const char* malformed, ReadItem read_item) {
    skip_space();
    if (at(close)) {
      ++pos_;
      return;
    }
    while (true) {
      read_item();
      skip_space();
      if (at(',')) {
        ++pos_;
      } else if (at(close)) {
        ++pos_;
        return;
      } else {
        fail(malformed);
      }
    }
  }

  YAML::Node list() {
    ++pos_;  // [
    YAML::Node seq(YAML::NodeType::Sequence);
    items(']', "a list needs ',' between elements and a closing ']'", [&] { seq.push_back(element(false)); });
    return seq;
  }

  YAML::Node dict() {
    ++pos_;  // {
    YAML::Node map(YAML::NodeType::Map);
    items('}', "a dict needs ',' between pairs and a closing '}'", [&] {
      skip_space();
      const std::size_t start = pos_;
      while (pos_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[pos_])) || t_[pos_] == '_' || t_[pos_] == '-'))
        ++pos_;
      const std::string key = t_.substr(start, pos_ - start);
      skip_space();
      if (key.empty() || !at(':')) fail("a dict needs key: value pairs");
      ++pos_;
      map[key] = element(false);
    });
    return map;
  }

  // An unquoted run up to a structural character (inside lists and dicts) or the end (at the top,
  // where ',' has already been split off by the sweep grammar), with Hydra's escapes.
  YAML::Node primitive(bool top) {
    std::string raw, out;
    bool escaped = false;
    int braces = 0;  // ${...} may hold ':' and ','
    while (pos_ < t_.size()) {
      const char c = t_[pos_];
      if (c == '\\' && pos_ + 1 < t_.size() && std::string("\\,=:[]{}() \t'\"").find(t_[pos_ + 1]) != std::string::npos) {
        out += t_[pos_ + 1];
        raw += t_.substr(pos_, 2);
        pos_ += 2;
        escaped = true;
        continue;
      }
      if (c == '$' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '{') ++braces;
      if (c == '}' && braces > 0) {
        --braces;
      } else if (braces == 0 && !top && (c == ',' || c == ']' || c == '}')) {
        break;
      } else if (braces == 0 && (c == '[' || c == '{' || (c == '\'' || c == '"'))) {
        fail(fmt::format("'{}' inside an unquoted value must be escaped or quoted", c));
      }
      out += c;
      raw += c;
      ++pos_;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\t') && !escaped) out.pop_back();
    if (escaped) return string_node(out);
    const std::string l = lower(out);
    if (l == "null") return YAML::Node(YAML::NodeType::Null);
    if (l == "true" || l == "false") return YAML::Node(l);
    static const std::regex int_re(R"([+-]?\d(_?\d)*)");
    static const std::regex float_re(R"([+-]?((\d(_?\d)*)?\.\d(_?\d)*|\d(_?\d)*\.?)([eE][+-]?\d(_?\d)*)?)");
    std::string digits = out;
    digits.erase(std::remove(digits.begin(), digits.end(), '_'), digits.end());
    if (std::regex_match(out, int_re)) return YAML::Node(digits);
    if (l == "inf" || l == "+inf" || l == "-inf" || l == "nan" || l == "+nan" || l == "-nan")
      return YAML::Node(float_text(l.find("nan") != std::string::npos ? std::nan("")
                                                                       : (l[0] == '-' ? -INFINITY : INFINITY)));
    if (std::regex_match(out, float_re) && out.find_first_of("0123456789") != std::string::npos)
      // strtod, not stod (which throws on 1e-2222): out of range reads as Python's float() does, ±inf or 0.
      return YAML::Node(float_text(std::strtod(digits.c_str(), nullptr)));
    return string_node(out);
  }

  const std::string& t_;
  std::string context_;
  std::size_t pos_ = 0;
};

}  // namespace

YAML::Node parse_override_value(const std::string& text, const std::string& context) {
  return Parser(text, context).value_at_top();
}

bool is_explicit_string(const YAML::Node& node) {
  return node.IsScalar() && (node.Tag() == kStrTag || node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str");
}

}  // namespace stanley
