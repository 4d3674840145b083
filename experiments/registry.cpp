// The experiment registry's table. A new experiment: one file in experiments/, one line here, and
// its YAML in configs/experiment/.
#include "experiment/experiment.h"
#include "experiments/rings.h"

namespace stanley {

Registry<ExperimentFactory>& experiment_registry() {
  static Registry<ExperimentFactory> table = [] {
    Registry<ExperimentFactory> r("experiment");
    r.add("rings", "2-D rings toy, exact density KL/TV on a grid (paper Fig. 1)", make_rings_experiment);
    return r;
  }();
  return table;
}

}  // namespace stanley
