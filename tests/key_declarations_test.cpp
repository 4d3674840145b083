// Every config key is declared once (configs/keys.yaml) and checked at compose time. The values a new user
// tries on every numeric and list key of every experiment at every scale (0, −1, nan, ±inf, 1e300, an
// empty list, a string) are either accepted or refused with one line naming the key, before anything is
// created. What it decides for rings and fmnist at scale=smoke goes to key_values.tsv in the working directory,
// from where the CTest key_values_run runs every accepted value and a sample of refused ones
// (tests/key_values_run_test.py).
#include <gtest/gtest.h>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <set>

#include "config/compose.h"
#include "config/errors.h"
#include "config/key_declarations.h"
#include "config/yaml_tree.h"
#include "test_support.h"

using namespace stanley;
namespace fs = std::filesystem;

namespace {

const fs::path kConfigs = fs::path(stanley::testing::source_dir()) / "configs";
const std::vector<std::string> kTrialValues = {"0", "-1", "nan", "inf", "-inf", "1e300", "[]", "a_string"};

std::vector<std::string> options_of(const std::string& group) { return list_options(kConfigs / group); }

// The experiment's own scales: the names of its `scales:` block (base experiments included).
std::vector<std::string> scales_of(const std::string& experiment) {
  std::vector<std::string> out;
  for (const auto& scale : options_of("scale")) {
    try {
      compose_config(kConfigs, {"experiment=" + experiment, "scale=" + scale});
      out.push_back(scale);
    } catch (const UserError& e) {
      if (std::string(e.what()).find("defines no scale") == std::string::npos) throw;
    }
  }
  return out;
}

std::vector<std::string> leaves(const YAML::Node& node, const std::string& key = "") {
  if (!node.IsMap()) return {key};
  std::vector<std::string> out;
  for (const auto& kv : node) {
    const std::string k = key.empty() ? kv.first.as<std::string>() : key + "." + kv.first.as<std::string>();
    for (auto& leaf : leaves(kv.second, k)) out.push_back(std::move(leaf));
  }
  return out;
}

// fmnist's frozen feature network is found through ${oc.env:STANLEY_SOURCE_DIR}, as `stanley` sets it.
const bool kSourceDirSet = ::setenv("STANLEY_SOURCE_DIR", stanley::testing::source_dir().c_str(), 0) == 0;

KeyDeclarations declarations() { return *KeyDeclarations::load(kConfigs); }

KeyDeclarations parse(const std::string& yaml) { return KeyDeclarations::parse(YAML::Load(yaml), "test"); }

std::string refusal(const KeyDeclarations& d, const std::string& yaml) {
  try {
    d.validate(YAML::Load(yaml));
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(KeyDeclarations, RangesChoicesListsAndNull) {
  const auto d = parse(R"y(
n: {type: int, range: "[1, 10]", meaning: m}
x: {type: real, range: "(0, inf)", meaning: m}
c: {type: string, choices: [a, b], meaning: m}
l: {type: real_list, length: "[2, 2]", range: "[-1, 1]", null_ok: "off", meaning: m}
f: {type: bool, meaning: m}
g.h: {type: path, meaning: m}
)y");
  // Each config beside the refusal it must get ("" : accepted).
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{n: 1, x: 1.0e300, c: b, l: [-1, 1], f: true, g: {h: /tmp}}", ""},
      {"{n: 0}", "n must be an integer in [1, 10] (got 0)"},
      {"{n: 2.5}", "n must be an integer in [1, 10] (got 2.5)"},
      {"{x: 0}", "x must be a number in (0, inf) (got 0)"},
      {"{x: .nan}", "x must be a number in (0, inf) (got .nan)"},
      {"{x: .inf}", "x must be a number in (0, inf) (got .inf)"},
      {"{x: '5'}", "x must be a number in (0, inf) (got 5)"},  // a quoted value is a string
      {"{c: z}", "c must be one of a, b (got z)"},
      {"{l: [0]}", "l must be a list of 2 numbers in [-1, 1] or null (off) (got [0])"},
      {"{l: [0, 2]}", "l must be a list of 2 numbers in [-1, 1] or null (off) (got [0, 2])"},
      {"{l: null, f: false}", ""},
      {"{n: null}", "n must be an integer in [1, 10] (got null)"},
      {"{f: yes_please}", "f must be true or false (got yes_please)"},
      {"{g: 3}", "g must be a map of its keys (got 3)"},
  };
  for (const auto& [yaml, expected] : cases) EXPECT_EQ(refusal(d, yaml), expected) << yaml;
  EXPECT_EQ(refusal(d, "{nn: 3}").rfind("unknown config key 'nn'; closest: n", 0), 0u);
}

TEST(KeyDeclarations, MalformedDeclarationsAreRefused) {
  EXPECT_THROW(parse("a: {type: integer, meaning: m}"), UserError);
  EXPECT_THROW(parse("a: {type: int}"), UserError);                            // no meaning
  EXPECT_THROW(parse("a: {type: string, range: \"[0, 1]\", meaning: m}"), UserError);
  EXPECT_THROW(parse("a: {type: int, range: \"0..1\", meaning: m}"), UserError);
  EXPECT_THROW(parse("a: {type: int, default: 3, meaning: m}"), UserError);   // defaults live in the configs
}

// Every experiment at every scale it defines, with every sampler and optimiser: every key declared, every
// shipped value inside its declaration.
TEST(KeyDeclarations, EveryShippedCompositionIsDeclaredAndInRange) {
  const auto d = declarations();
  std::set<std::string> seen;
  int compositions = 0;
  for (const auto& experiment : options_of("experiment"))
    for (const auto& scale : scales_of(experiment))
      for (const auto& sampler : options_of("sampler"))
        for (const auto& optim : options_of("optim")) {
          const auto c = compose_config(kConfigs, {"experiment=" + experiment, "scale=" + scale, "sampler=" + sampler,
                                                   "optim=" + optim});
          for (const auto& k : leaves(c.root)) seen.insert(k);
          ++compositions;
        }
  EXPECT_GT(compositions, 300);
  for (const auto& group : {"launcher", "diagnose"})
    for (const auto& option : options_of(group))
      for (const auto& k : leaves(compose_group(kConfigs, group, option, {}).node())) seen.insert(std::string(group) + "." + k);
  // No declaration is dead: each is a key some shipped config has, or a documented optional one.
  const std::set<std::string> optional = {"train.init.std"};  // only with train.init.kind=gaussian
  for (const auto& decl : d.all())
    EXPECT_TRUE(seen.count(decl.key) || optional.count(decl.key)) << decl.key << " is declared but no config has it";
}

TEST(KeyDeclarations, AnUndeclaredKeyIsRefusedWithTheClosest) {
  try {
    compose_config(kConfigs, {"experiment=rings", "++train.iterz=5"});
    FAIL() << "accepted an undeclared key";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown config key 'train.iterz'; closest: train.iters", 0), 0u) << e.what();
  }
}

// The trial values on every numeric and list key: accepted, or one line that names the key.
TEST(KeyDeclarations, TrialValuesAreAcceptedOrRefusedNamingTheKey) {
  const auto d = declarations();
  std::ofstream accepted("key_values.tsv");
  int tried = 0, refused = 0;
  for (const auto& experiment : options_of("experiment")) {
    for (const auto& scale : scales_of(experiment)) {
      const bool runnable = (experiment == "rings" || experiment == "fmnist") && scale == "smoke";
      // Sampler keys under every sampler where the trial runs; the experiment's own sampler elsewhere.
      const std::vector<std::string> samplers = runnable ? options_of("sampler") : std::vector<std::string>{""};
      for (const auto& sampler : samplers) {
        std::vector<std::string> base = {"experiment=" + experiment, "scale=" + scale};
        if (!sampler.empty()) base.push_back("sampler=" + sampler);
        const auto composed = compose_config(kConfigs, base);
        for (const auto& key : leaves(composed.root)) {
          const KeyDeclaration* decl = d.find(key);
          ASSERT_NE(decl, nullptr) << key;
          if (!decl->numeric() && !decl->list()) continue;
          if (!sampler.empty() && key.rfind("sampler.", 0) != 0 && sampler != "stanley") continue;
          for (const auto& value : kTrialValues) {
            auto overrides = base;
            overrides.push_back(key + "=" + value);
            ++tried;
            try {
              compose_config(kConfigs, overrides);
              if (runnable) accepted << "accepted\t" << experiment << '\t' << sampler << '\t' << key << '=' << value << '\n';
            } catch (const UserError& e) {
              ++refused;
              if (runnable) accepted << "refused\t" << experiment << '\t' << sampler << '\t' << key << '=' << value << '\n';
              const std::string what = e.what();
              EXPECT_EQ(what.find('\n'), std::string::npos) << what;
              EXPECT_NE(what.find(key + " "), std::string::npos) << key << "=" << value << ": " << what;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(tried, 1000);
  EXPECT_GT(refused, tried / 2);
  std::printf("%d trial values, %d refused at compose time\n", tried, refused);
}
