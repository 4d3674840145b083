// TrainSettings from a config: the runaway limit that an energy L2 needs (its plateau at |d| ≈ 1/α
// would otherwise let a run that ran away finish as if healthy).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "config/errors.h"
#include "training/trainer.h"

namespace stanley {
namespace {

Config train_config(const std::string& train_extra, int iters = 10) {
  return Config(YAML::Load("train: {iters: " + std::to_string(iters) + ", batch: 4, ckpt_every: 5, max_abs_energy: 1.0e6, " + train_extra +
                           "}\nsampler: {n_steps: 2}\nlog: {every: 1}\neval: {every: 0}\n"));
}

TEST(TrainSettings, EnergyL2SetsARunawayLimitAtHalfItsPlateau) {
  EXPECT_DOUBLE_EQ(TrainSettings::from_config(train_config("energy_l2: 1.0e-3")).max_abs_d, 500.0);
  EXPECT_DOUBLE_EQ(TrainSettings::from_config(train_config("energy_l2: 1.0e-3, max_abs_d: null")).max_abs_d, 500.0);
}

TEST(TrainSettings, ExplicitRunawayLimitWinsAndNoL2MeansNone) {
  EXPECT_DOUBLE_EQ(TrainSettings::from_config(train_config("energy_l2: 1.0e-3, max_abs_d: 50")).max_abs_d, 50.0);
  EXPECT_DOUBLE_EQ(TrainSettings::from_config(train_config("energy_l2: 1.0e-3, max_abs_d: 0")).max_abs_d, 0.0);
  EXPECT_DOUBLE_EQ(TrainSettings::from_config(train_config("energy_l2: 0.0")).max_abs_d, 0.0);
  EXPECT_THROW(TrainSettings::from_config(train_config("energy_l2: 0.0, max_abs_d: -1")), UserError);
}

TEST(TrainSettings, LearningRateWarmsUpThenFollowsTheCosine) {
  TrainSettings s = TrainSettings::from_config(train_config("energy_l2: 0.0, lr_warmup: 2, lr_decay: cosine, lr_decay_to: 0.1"));
  const double base = 1e-3;
  EXPECT_DOUBLE_EQ(s.learning_rate(base, 1), 0.5e-3);
  EXPECT_DOUBLE_EQ(s.learning_rate(base, 2), 1e-3);
  // iters = 10: the cosine spans iterations 2..10; halfway (6) is the mean of base and floor.
  EXPECT_NEAR(s.learning_rate(base, 6), 0.5 * (1e-3 + 1e-4), 1e-15);
  EXPECT_NEAR(s.learning_rate(base, 10), 1e-4, 1e-15);
  for (std::int64_t it = 3; it <= 10; ++it) EXPECT_LT(s.learning_rate(base, it), s.learning_rate(base, it - 1));
}

TEST(TrainSettings, ShortRunFollowsTheLongRunsCosine) {
  // A 4-iteration tuning run of a 10-iteration schedule gets the long run's first 4 rates.
  TrainSettings full = TrainSettings::from_config(train_config("energy_l2: 0.0, lr_decay: cosine, lr_decay_to: 0.1"));
  TrainSettings part = TrainSettings::from_config(
      train_config("energy_l2: 0.0, lr_decay: cosine, lr_decay_to: 0.1, lr_decay_iters: 10", 4));
  TrainSettings own = TrainSettings::from_config(train_config("energy_l2: 0.0, lr_decay: cosine, lr_decay_to: 0.1", 4));
  for (std::int64_t it = 1; it <= 4; ++it) EXPECT_DOUBLE_EQ(part.learning_rate(1e-3, it), full.learning_rate(1e-3, it));
  EXPECT_NEAR(own.learning_rate(1e-3, 4), 1e-4, 1e-15);
  EXPECT_GT(part.learning_rate(1e-3, 4), 5e-4);
  EXPECT_THROW(TrainSettings::from_config(train_config("energy_l2: 0.0, lr_decay_iters: -1")), UserError);
}

TEST(TrainSettings, ConstantRateWithoutASchedule) {
  TrainSettings s = TrainSettings::from_config(train_config("energy_l2: 0.0"));
  EXPECT_FALSE(s.has_lr_schedule());
  EXPECT_DOUBLE_EQ(s.learning_rate(1e-3, 7), 1e-3);
  EXPECT_THROW(TrainSettings::from_config(train_config("energy_l2: 0.0, lr_decay: linear")), UserError);
  EXPECT_THROW(TrainSettings::from_config(train_config("energy_l2: 0.0, lr_decay: cosine, lr_decay_to: 2")), UserError);
}

}  // namespace
}  // namespace stanley
