#include "experiment/experiment.h"

namespace stanley {

std::unique_ptr<Experiment> make_experiment(const std::string& name) {
  return experiment_registry().get(name).factory();
}

}  // namespace stanley
