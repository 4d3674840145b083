#include "run/experiment.h"

namespace stanley {

std::unique_ptr<Experiment> make_experiment(const ExperimentRegistry& experiments, const std::string& name) {
  return experiments.get(name).factory();
}

}  // namespace stanley
