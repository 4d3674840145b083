// The multirun grammar: lists, range, zip, and what they refuse.
#include <gtest/gtest.h>

#include "config/errors.h"
#include "config/sweep_grammar.h"

using namespace stanley;

namespace {

TEST(SweepGrammar, CartesianProductFirstKeySlowest) {
  const auto jobs = expand_sweep({"experiment=fmnist", "sampler=langevin,stanley", "seed=0,1,2"});
  ASSERT_EQ(jobs.size(), 6u);
  EXPECT_EQ(jobs[0], (JobOverrides{"experiment=fmnist", "sampler=langevin", "seed=0"}));
  EXPECT_EQ(jobs[1], (JobOverrides{"experiment=fmnist", "sampler=langevin", "seed=1"}));
  EXPECT_EQ(jobs[3], (JobOverrides{"experiment=fmnist", "sampler=stanley", "seed=0"}));
  EXPECT_EQ(jobs[5], (JobOverrides{"experiment=fmnist", "sampler=stanley", "seed=2"}));
}

TEST(SweepGrammar, RangeLikeHydra) {
  auto jobs = expand_sweep({"seed=range(0,3)"});
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[2][0], "seed=2");  // stop is excluded
  jobs = expand_sweep({"train.lr=range(0.1,0.35,0.1)"});
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[1][0], "train.lr=0.2");
  jobs = expand_sweep({"k=range(10,0,-5)"});
  EXPECT_EQ(jobs.size(), 2u);
  EXPECT_THROW(expand_sweep({"k=range(0,3,0)"}), UserError);
  EXPECT_THROW(expand_sweep({"k=range(3,0)"}), UserError);  // empty
  EXPECT_THROW(expand_sweep({"k=range(a,3)"}), UserError);
}

TEST(SweepGrammar, ZipPairsElementWiseAndMultipliesTheRest) {
  const auto jobs = expand_sweep({"sampler=zip(langevin,stanley)", "sampler.step_size=zip(0.1,0.01)", "seed=0,1"});
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[0], (JobOverrides{"sampler=langevin", "sampler.step_size=0.1", "seed=0"}));
  EXPECT_EQ(jobs[1], (JobOverrides{"sampler=langevin", "sampler.step_size=0.1", "seed=1"}));
  EXPECT_EQ(jobs[2], (JobOverrides{"sampler=stanley", "sampler.step_size=0.01", "seed=0"}));
  EXPECT_EQ(jobs[3], (JobOverrides{"sampler=stanley", "sampler.step_size=0.01", "seed=1"}));
  try {
    expand_sweep({"a=zip(1,2)", "b=zip(1,2,3)"});
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("zip lists differ in length"), std::string::npos) << e.what();
  }
}

TEST(SweepGrammar, BracketsAndPrefixesStayWhole) {
  const auto jobs = expand_sweep({"samplers=[a,b],[c]", "++train.init={kind: persistent, bank_size: 10}", "~eval.floor"});
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0], (JobOverrides{"samplers=[a,b]", "++train.init={kind: persistent, bank_size: 10}", "~eval.floor"}));
  EXPECT_EQ(jobs[1][0], "samplers=[c]");
  EXPECT_THROW(expand_sweep({"seed=0,,1"}), UserError);
}

}  // namespace
