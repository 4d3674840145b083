// TrainSettings from a config: the runaway limit that an energy L2 needs (its plateau at |d| ≈ 1/α
// would otherwise let a run that ran away finish as if healthy).
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "io/errors.h"
#include "training/trainer.h"

namespace stanley {
namespace {

Config train_config(const std::string& train_extra) {
  return Config(YAML::Load("train: {iters: 10, batch: 4, ckpt_every: 5, max_abs_energy: 1.0e6, " + train_extra +
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

}  // namespace
}  // namespace stanley
