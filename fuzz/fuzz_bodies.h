#pragma once
// The bodies of the fuzz targets, shared by the libFuzzer programs (make fuzz, clang) and by the
// regression test that replays fuzz/corpus and fuzz/regressions in the normal build (gcc). Each body
// returns normally for input the suite accepts or refuses with a UserError; anything else (another
// exception, a sanitizer report, a crash, a config.yaml that does not read back the same) is a finding.

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "config/errors.h"
#include "config/interpolation.h"
#include "config/override.h"
#include "config/override_value.h"
#include "config/sweep_grammar.h"
#include "config/yaml_tree.h"

namespace stanley::fuzz {

inline void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz finding: %s: %s\n", what, detail.c_str());
  std::abort();
}

// Same tree as the suite reads it: kinds, scalar texts, whether a scalar is an explicit string, keys in
// order. (How a null is spelled, `~` or nothing, does not matter; an empty string is a string, as
// Config::has sees it.)
inline bool null_like(const YAML::Node& n) { return n.IsNull(); }

// Whether Config::get reads the scalar as text rather than a bool or number: quoted, or plain text
// that is neither (emit_yaml may quote a plain string, e.g. one with control characters).
inline bool reads_as_text(const YAML::Node& n) {
  if (is_explicit_string(n)) return true;
  bool b;
  double d;
  return !YAML::convert<bool>::decode(n, b) && !YAML::convert<double>::decode(n, d);
}

inline bool same_tree(const YAML::Node& a, const YAML::Node& b) {
  if (null_like(a) || null_like(b)) return null_like(a) && null_like(b);
  if (a.Type() != b.Type() || a.size() != b.size()) return false;
  if (a.IsScalar()) return a.Scalar() == b.Scalar() && reads_as_text(a) == reads_as_text(b);
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_tree(a[i], b[i])) return false;
    return true;
  }
  auto ia = a.begin();
  auto ib = b.begin();
  // Keys by their text: emit_yaml quotes keys YAML 1.1 readers would retype (`n`, `yes`), and a key is a
  // name either way.
  const auto key = [](const YAML::Node& k) { return null_like(k) ? std::string("~") : k.IsScalar() ? k.Scalar() : emit_yaml(k); };
  for (; ia != a.end(); ++ia, ++ib)
    if (key(ia->first) != key(ib->first) || !same_tree(ia->second, ib->second)) return false;
  return true;
}

// What `run` writes as config.yaml must read back to the same tree.
inline void check_round_trip(const YAML::Node& root) {
  const std::string once = emit_yaml(root);
  YAML::Node back;
  try {
    back = YAML::Load(once);
  } catch (const YAML::Exception& e) {
    finding("config.yaml does not parse", once + " -- " + e.what());
  }
  if (!same_tree(root, back)) finding("config.yaml does not read back the same", once + " -- " + emit_yaml(back));
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= text.size()) {
    const auto nl = text.find('\n', at);
    out.push_back(text.substr(at, nl == std::string::npos ? std::string::npos : nl - at));
    if (nl == std::string::npos) break;
    at = nl + 1;
  }
  return out;
}

// Each line one command-line override, applied in order to a small config as `run` applies them.
inline void fuzz_overrides(const std::string& text) {
  YAML::Node root = YAML::Load(
      "seed: 7\nname: run-${seed}\ntrain: {iters: 10, lr: 0.1, clamp: null, init: {kind: uniform}}\n"
      "sampler: {name: fast, th: [1, 2], adapt: false}\n");
  try {
    for (const auto& line : lines_of(text)) apply_override(root, parse_override(line, {"sampler", "model"}));
    resolve_interpolations(root);
  } catch (const UserError&) {
    return;
  }
  check_round_trip(root);
}

// Each line one override of a multirun (`run -m`).
inline void fuzz_sweep(const std::string& text) {
  try {
    const auto jobs = expand_sweep(lines_of(text));
    for (const auto& job : jobs)
      for (const auto& o : job) parse_override_value(o.substr(o.find('=') == std::string::npos ? 0 : o.find('=') + 1), o);
  } catch (const UserError&) {
  }
}

// A config file: yaml-cpp reads it (its refusals are the user's input errors), then the suite merges it
// into a tree, resolves interpolations and writes it.
inline void fuzz_yaml_config(const std::string& text) {
  // yaml-cpp takes a lone CR (no LF after it) as text, not as the line break YAML says it is, and writes
  // it back so that it is one: a yaml-cpp quirk no config file of ours has (CRLF files read correctly).
  for (std::size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return;
  YAML::Node root = YAML::Load("seed: 7\ntrain: {iters: 10}\n");
  try {
    merge_into(root, parse_yaml_text(text, "fuzz.yaml"));  // as load_yaml_file reads a config file
    resolve_interpolations(root);
    all_dotted_keys(root);
  } catch (const UserError&) {
    return;
  }
  check_round_trip(root);
}

}  // namespace stanley::fuzz
