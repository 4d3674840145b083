#pragma once
// The experiment seam. An experiment composes lib/ pieces (data, model, sampler, trainer, metrics).
// The table of experiments lives above lib/, in experiments/registry.cpp; lib/ is handed it.

#include <functional>
#include <memory>

#include "config/registry.h"
#include "training/run_context.h"

namespace stanley {

class Experiment {
 public:
  virtual ~Experiment() = default;
  // Builds and validates everything from the config; must not write anything, so that a bad
  // config leaves no half-made run directory.
  virtual void setup(const Config& cfg, const torch::Device& device) = 0;
  virtual void run(RunContext& ctx) = 0;
};

using ExperimentFactory = std::function<std::unique_ptr<Experiment>()>;
using ExperimentRegistry = Registry<ExperimentFactory>;
std::unique_ptr<Experiment> make_experiment(const ExperimentRegistry& experiments, const std::string& name);

}  // namespace stanley
