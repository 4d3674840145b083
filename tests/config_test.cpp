// Config composition: defaults, groups, the experiment's scale block, every override form,
// interpolation, and each error message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "config/compose.h"
#include "config/config.h"
#include "config/override_value.h"
#include "config/yaml_tree.h"
#include "test_support.h"

using namespace stanley;
using stanley::testing::ScopedKeyDeclarations;
using stanley::testing::TempDir;
using stanley::testing::write_text;

namespace {

// A small config tree shaped like configs/.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_text(dir_ / "config.yaml", R"(defaults:
  - experiment: toy
  - sampler: fast
  - scale: small
seed: 7
name: "run-${seed}"
copy: ${sampler.step}
nested: {a: {b: 1}}
)");
    write_text(dir_ / "experiment/toy.yaml", R"(defaults:
  - model: mlp
experiment: toy
train: {iters: 100}
scales:
  small: {train: {iters: 10}}
  paper: {train: {iters: 1000}, sampler: {step: 0.5}}
)");
    write_text(dir_ / "sampler/fast.yaml", "name: fast\nstep: 0.1\n");
    write_text(dir_ / "sampler/slow.yaml", "name: slow\nstep: 0.01\nextra: [1, 2]\n");
    write_text(dir_ / "model/mlp.yaml", "name: mlp\nwidth: 32\n");
    write_text(dir_ / "model/conv.yaml", "name: conv\nwidth: 64\n");
    write_text(dir_ / "scale/small.yaml", "name: small\n");
    write_text(dir_ / "scale/paper.yaml", "name: paper\n");
    write_text(dir_ / "scale/huge.yaml", "name: huge\n");
  }
  Config compose(const std::vector<std::string>& overrides) {
    return Config(compose_config(dir_.path(), overrides).root);
  }
  std::string error_of(const std::vector<std::string>& overrides) {
    try {
      compose_config(dir_.path(), overrides);
    } catch (const UserError& e) {
      return e.what();
    }
    return "<no error>";
  }
  TempDir dir_;
  ScopedKeyDeclarations declarations_{dir_.path()};  // this hand-made tree declares no keys: unchecked
};

TEST_F(ConfigTest, ComposesDefaultsGroupsAndExperiment) {
  const Config c = compose({});
  EXPECT_EQ(c.get<std::string>("sampler.name"), "fast");
  EXPECT_EQ(c.get<std::string>("model.name"), "mlp");  // chosen by the experiment's defaults
  EXPECT_EQ(c.get<std::string>("experiment"), "toy");
  EXPECT_EQ(c.get<int>("train.iters"), 10);  // scale=small block applied
  EXPECT_EQ(c.get<std::string>("scale.name"), "small");
  EXPECT_FALSE(c.has("scales"));
  EXPECT_FALSE(c.has("defaults"));
}

TEST_F(ConfigTest, GroupOverridePicksOption) {
  const Config c = compose({"sampler=slow", "model=conv", "scale=paper"});
  EXPECT_EQ(c.get<std::string>("sampler.name"), "slow");
  EXPECT_EQ(c.get<int>("model.width"), 64);
  EXPECT_EQ(c.get<int>("train.iters"), 1000);
  EXPECT_DOUBLE_EQ(c.get<double>("sampler.step"), 0.5);  // the scale block beats the group file
}

TEST_F(ConfigTest, SetAddDeleteForce) {
  const Config c = compose({"nested.a.b=5", "+nested.a.c=hello", "~copy", "++seed=9", "++new.key=[1, 2]"});
  EXPECT_EQ(c.get<int>("nested.a.b"), 5);
  EXPECT_EQ(c.get<std::string>("nested.a.c"), "hello");
  EXPECT_FALSE(c.has("copy"));
  EXPECT_EQ(c.get<int>("seed"), 9);
  EXPECT_EQ(c.get<std::vector<long>>("new.key"), (std::vector<long>{1, 2}));
}

TEST_F(ConfigTest, ValuesAreTypedAsYamlScalars) {
  const Config c = compose({"+x.f=1e-3", "+x.b=true", "+x.s='007'", "+x.n=null"});
  EXPECT_DOUBLE_EQ(c.get<double>("x.f"), 1e-3);
  EXPECT_TRUE(c.get<bool>("x.b"));
  EXPECT_EQ(c.get<std::string>("x.s"), "007");
  EXPECT_FALSE(c.has("x.n"));
}

// Each case where Hydra's grammar and a YAML reading of the value differ (issue #13's list), as Hydra
// reads it; the config written to disk reads back the same in PyYAML (emit_yaml quotes strings).
TEST_F(ConfigTest, ValuesFollowHydrasGrammarNotYamls) {
  const Config c = compose({"+h.dict={a:1,b:2}", "+h.q='a\\'b'", "+h.esc=a\\,b", "+h.hash=#hash", "+h.yes=yes",
                            "+h.on=on", "+h.hex=0x10", "+h.five='5'", "+h.under=1_000", "+h.true=TrUe", "+h.inf=inf",
                            "+h.nan=nan", "+h.small=1e-10", "+h.list=[1, 'two', {k: v}]"});
  EXPECT_EQ(c.get<long>("h.dict.a"), 1);
  EXPECT_EQ(c.get<long>("h.dict.b"), 2);
  EXPECT_EQ(c.get<std::string>("h.q"), "a'b");
  EXPECT_EQ(c.get<std::string>("h.esc"), "a,b");
  EXPECT_EQ(c.get<std::string>("h.hash"), "#hash");
  EXPECT_EQ(c.get<std::string>("h.yes"), "yes");
  EXPECT_THROW(c.get<bool>("h.yes"), UserError);  // a string, never a bool
  EXPECT_EQ(c.get<std::string>("h.on"), "on");
  EXPECT_EQ(c.get<std::string>("h.hex"), "0x10");
  EXPECT_THROW(c.get<long>("h.hex"), UserError);
  EXPECT_EQ(c.get<std::string>("h.five"), "5");
  EXPECT_THROW(c.get<long>("h.five"), UserError);  // '5' is the string "5"
  EXPECT_EQ(c.get<long>("h.under"), 1000);
  EXPECT_TRUE(c.get<bool>("h.true"));
  EXPECT_TRUE(std::isinf(c.get<double>("h.inf")));
  EXPECT_TRUE(std::isnan(c.get<double>("h.nan")));
  EXPECT_DOUBLE_EQ(c.get<double>("h.small"), 1e-10);
  EXPECT_EQ(c.sub("h").node()["list"][1].Scalar(), "two");
  EXPECT_EQ(c.sub("h").node()["list"][2]["k"].Scalar(), "v");
  // What is written to config.yaml, read by PyYAML (the analysis scripts), gives the same types.
  write_text(dir_ / "written.yaml", c.to_yaml());
  const auto py = stanley::testing::run_python_in(dir_.path(), R"(import yaml
h = yaml.safe_load(open(D + '/written.yaml'))['h']
print(h['five'] == '5', h['yes'] == 'yes', h['hex'] == '0x10', h['small'] == 1e-10, h['under'] == 1000,
      h['true'] is True, h['dict'] == {'a': 1, 'b': 2}, h['hash'] == '#hash'))");
  EXPECT_EQ(py.output, "True True True True True True True True\n") << c.to_yaml();
}

// Hydra merges a dict into an existing dict; ~key=value deletes only when the key has that value;
// ${oc.env:NAME[,default]} reads the environment.
TEST_F(ConfigTest, DictMergeGuardedDeleteAndEnvironment) {
  const Config c = compose({"nested={a: {c: 2}}", "++nested={d: 3}"});
  EXPECT_EQ(c.get<long>("nested.a.b"), 1);  // kept
  EXPECT_EQ(c.get<long>("nested.a.c"), 2);
  EXPECT_EQ(c.get<long>("nested.d"), 3);
  EXPECT_NE(error_of({"~nested.a.b=5"}).find("nested.a.b is 1, not 5; nothing deleted"), std::string::npos)
      << error_of({"~nested.a.b=5"});
  EXPECT_FALSE(compose({"~nested.a.b=1"}).has("nested.a.b"));
  ::setenv("STANLEY_TEST_ENV", "from-env", 1);
  const Config e = compose({"+p=${oc.env:STANLEY_TEST_ENV}", "+q=${oc.env:STANLEY_TEST_UNSET_X,fallback}"});
  EXPECT_EQ(e.get<std::string>("p"), "from-env");
  EXPECT_EQ(e.get<std::string>("q"), "fallback");
  EXPECT_NE(error_of({"+r=${oc.env:STANLEY_TEST_UNSET_X}"}).find("is not set"), std::string::npos);
}

TEST_F(ConfigTest, Interpolation) {
  const Config c = compose({"seed=3", "sampler=slow"});
  EXPECT_EQ(c.get<std::string>("name"), "run-3");      // spliced into a string
  EXPECT_DOUBLE_EQ(c.get<double>("copy"), 0.01);       // whole value keeps its type, after overrides
}

TEST_F(ConfigTest, InterpolationErrors) {
  EXPECT_NE(error_of({"+bad=${sampler.stp}"}).find("closest: sampler.step"), std::string::npos);
  EXPECT_NE(error_of({"+a=${b}", "+b=${a}"}).find("cycle"), std::string::npos);
}

TEST_F(ConfigTest, UnknownKeyNamesClosest) {
  const std::string e = error_of({"sampler.stpe=1"});
  EXPECT_NE(e.find("unknown config key or group 'sampler.stpe'"), std::string::npos) << e;
  EXPECT_NE(e.find("closest: sampler.step"), std::string::npos) << e;
}

TEST_F(ConfigTest, UnknownGroupNamesClosest) {
  const std::string e = error_of({"samplr=fast"});
  EXPECT_NE(e.find("'samplr'"), std::string::npos) << e;
  EXPECT_NE(e.find("sampler"), std::string::npos) << e;
}

TEST_F(ConfigTest, UnknownOptionListsOptions) {
  const std::string e = error_of({"sampler=slwo"});
  EXPECT_NE(e.find("no option 'slwo' in config group 'sampler'"), std::string::npos) << e;
  EXPECT_NE(e.find("slow"), std::string::npos) << e;
  EXPECT_NE(e.find("fast"), std::string::npos) << e;
}

TEST_F(ConfigTest, ScaleMissingFromExperiment) {
  EXPECT_NE(error_of({"scale=huge"}).find("defines no scale 'huge'"), std::string::npos);
}

TEST_F(ConfigTest, AddExistingAndDeleteMissing) {
  EXPECT_NE(error_of({"+seed=1"}).find("already exists"), std::string::npos);
  EXPECT_NE(error_of({"~nested.a.zz"}).find("cannot delete unknown config key 'nested.a.zz'"), std::string::npos);
}

TEST_F(ConfigTest, MalformedOverrides) {
  EXPECT_NE(error_of({"seed"}).find("not of the form"), std::string::npos);
  EXPECT_NE(error_of({"se ed=1"}).find("not a valid key"), std::string::npos);
  EXPECT_NE(error_of({"seed=[1,"}).find("a list needs ','"), std::string::npos);
  EXPECT_NE(error_of({"seed={a 1}"}).find("key: value pairs"), std::string::npos);
  EXPECT_NE(error_of({"seed='abc"}).find("unterminated single quote"), std::string::npos);
}

TEST_F(ConfigTest, MissingFiles) {
  EXPECT_THROW(compose_config(dir_ / "nowhere", {}), UserError);
  std::filesystem::remove(dir_ / "sampler/fast.yaml");
  EXPECT_NE(error_of({}).find("no option 'fast'"), std::string::npos);
}

TEST_F(ConfigTest, YamlSyntaxErrorNamesFileAndLine) {
  write_text(dir_ / "sampler/fast.yaml", "name: fast\nstep: [0.1\n");
  const std::string e = error_of({});
  EXPECT_NE(e.find("sampler/fast.yaml"), std::string::npos) << e;
  EXPECT_NE(e.find("line"), std::string::npos) << e;
}

// A value of another kind than the key's default is refused when composed (so `--cfg job` shows it),
// naming the key, its default and both kinds; ints and floats mix, null and interpolations go anywhere.
TEST_F(ConfigTest, OverrideOfAnotherKindIsRefusedAtCompose) {
  EXPECT_EQ(error_of({"train.iters=abc"}), "override 'train.iters=abc': train.iters must be a number like its default (10), not a string");
  EXPECT_EQ(error_of({"sampler=slow", "sampler.extra=5"}),
            "override 'sampler.extra=5': sampler.extra must be a list like its default ([1, 2]), not a number");
  EXPECT_EQ(error_of({"nested=3"}), "override 'nested=3': nested must be a dict like its default ({a: {b: 1}}), not a number");
  EXPECT_EQ(error_of({"train.iters='5'"}), "override 'train.iters='5'': train.iters must be a number like its default (10), not a string");
  EXPECT_EQ(error_of({"++sampler.step=true"}), "override '++sampler.step=true': sampler.step must be a number like its default (0.1), not a bool");
  const Config c = compose({"sampler.step=1", "train.iters=2.5e1", "nested.a.b=null", "sampler.name=5", "copy=${seed}"});
  EXPECT_DOUBLE_EQ(c.get<double>("sampler.step"), 1.0);
  EXPECT_EQ(c.get<std::string>("sampler.name"), "5");
}

// config.yaml is UTF-8: other bytes would be written so that they read back as other text (a finding of
// make fuzz, kept in fuzz/regressions/overrides/).
// Floats out of double's range read as Python's float() reads them (a finding of make fuzz: std::stod threw).
TEST_F(ConfigTest, FloatsOutOfRangeReadAsPythonDoes) {
  const Config c = compose({"+x.big=1e999", "+x.tiny=1e-2222", "+x.neg=-2e400"});
  EXPECT_TRUE(std::isinf(c.get<double>("x.big")) && c.get<double>("x.big") > 0);
  EXPECT_EQ(c.get<double>("x.tiny"), 0.0);
  EXPECT_TRUE(std::isinf(c.get<double>("x.neg")) && c.get<double>("x.neg") < 0);
}

TEST_F(ConfigTest, OverridesMustBeUtf8) {
  EXPECT_EQ(compose({"+x.s=caf\xc3\xa9 \xe2\x82\xac"}).get<std::string>("x.s"), "caf\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(error_of({"+x=\xffx"}), "override '+x=\xffx' is not valid UTF-8");
  EXPECT_NE(error_of({"+x=\xc0\xaf"}), "<no error>");      // overlong '/'
  EXPECT_NE(error_of({"+x=\xed\xa0\x80"}), "<no error>");  // a surrogate
  EXPECT_NE(error_of({"+x=\xe2\x82"}), "<no error>");      // cut short
}

TEST_F(ConfigTest, ConfigFilesMustBeUtf8) {
  write_text(dir_ / "sampler/bad.yaml", "name: bad\n\xff\tt: [a]\n");
  EXPECT_EQ(error_of({"sampler=bad"}), (dir_ / "sampler/bad.yaml").string() + ": not valid UTF-8");
  write_text(dir_ / "sampler/nul.yaml", std::string("name: x\nkey\0: 1\n", 15));
  EXPECT_EQ(error_of({"sampler=nul"}), (dir_ / "sampler/nul.yaml").string() +
                                           ": line 2: control character 0x00 (YAML allows only printable characters)");
  // A list as a key is valid YAML but no config key (a make fuzz finding: yaml-cpp threw out of the merge).
  write_text(dir_ / "sampler/listkey.yaml", "name: x\nnested:\n  [Nt]: 1\n");
  EXPECT_EQ(error_of({"sampler=listkey"}), (dir_ / "sampler/listkey.yaml").string() + ": line 3: a key must be a name, not a list");
}

TEST_F(ConfigTest, TypedGetterErrorsNameTheKey) {
  const Config c = compose({});
  try {
    c.get<double>("sampler.name");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("sampler.name"), std::string::npos);
  }
  EXPECT_THROW(c.get<int>("sampler.nope"), UserError);
  EXPECT_EQ(c.sub("sampler").full_key("step"), "sampler.step");
}

// Every Config checks itself against the installed declarations when built (the tests install the source
// tree's, as the command installs its --config-dir's): a section read as its keys, out of range or unknown,
// is one line naming the full key, whichever component would read it; none installed, nothing is checked.
TEST(ConfigChecks, AConfigIsValidatedAgainstTheDeclarationsWhenBuilt) {
  auto error_of = [](const std::string& yaml, const std::string& prefix) {
    try {
      Config(YAML::Load(yaml), prefix);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("<no error>");
  };
  EXPECT_EQ(error_of("{name: stanley, th: 0}", "sampler"), "sampler.th must be a number in (0, 1e30] (got 0)");
  EXPECT_EQ(error_of("{train: {batch: 1}}", ""), "train.batch must be an integer in [2, 1e6] (got 1)");
  EXPECT_NE(error_of("{name: langevin, stepsize: 0.1}", "sampler").find("unknown config key 'sampler.stepsize'"), std::string::npos);
  EXPECT_EQ(error_of("{name: langevin, step_size: 0.1, noise: 0.5}", "sampler"), "<no error>");
  TempDir bare;  // a tree without keys.yaml
  ScopedKeyDeclarations none(bare.path());
  EXPECT_EQ(error_of("{name: stanley, th: 0}", "sampler"), "<no error>");
}

TEST(ShippedConfigs, EveryExperimentComposesAtEveryScale) {
  const std::string dir = stanley::testing::source_dir() + "/configs";
  for (const std::string scale : {"smoke", "small", "paper"}) {
    for (const std::string sampler : {"langevin", "stanley"}) {
      const Config c(compose_config(dir, {"experiment=rings", "scale=" + scale, "sampler=" + sampler}).root);
      EXPECT_GT(c.get<long>("train.iters"), 0);
      EXPECT_EQ(c.get<std::string>("sampler.name"), sampler);
    }
  }
  const Config paper(compose_config(dir, {"experiment=rings", "scale=paper"}).root);
  EXPECT_EQ(paper.get<long>("sampler.n_steps"), 100);   // the paper's toy: K = 100
  EXPECT_EQ(paper.get<long>("train.iters"), 10000);     // T = 10,000
  EXPECT_DOUBLE_EQ(paper.get<double>("optim.lr"), 1e-3);       // ours: the paper's 1e-4 stays diffuse
  EXPECT_DOUBLE_EQ(paper.get<double>("sampler.step_size"), 0.14);
  EXPECT_DOUBLE_EQ(paper.get<double>("sampler.noise"), 0.3);
  EXPECT_DOUBLE_EQ(paper.get<double>("sampler.th"), 1.0);        // ours: the paper's 0.01 cannot move chains
  EXPECT_DOUBLE_EQ(paper.get<double>("data.sd"), 0.15);
}

}  // namespace

// Fuzz: 20,000 random override values from the grammar's own alphabet either parse or fail with one
// UserError; nothing else escapes (no crash, no other exception, no hang), and what parses re-emits.
TEST(OverrideFuzz, RandomValuesParseOrFailCleanly) {
  const std::string alphabet = "ab09_.-+eE,:=[]{}()'\"\\ $#~!yn";
  std::mt19937 rng(12345);
  int parsed = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    const int len = static_cast<int>(rng() % 12);
    std::string v;
    for (int k = 0; k < len; ++k) v += alphabet[rng() % alphabet.size()];
    try {
      const YAML::Node n = parse_override_value(v, "k=" + v);
      (void)emit_yaml(n);
      ++parsed;
    } catch (const UserError&) {
      ++refused;
    }
  }
  EXPECT_EQ(parsed + refused, 20000);
  EXPECT_GT(parsed, 1000);  // the alphabet is not all syntax errors
  EXPECT_GT(refused, 1000);
}
