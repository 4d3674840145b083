#pragma once
// The table of experiments. It lives here, above lib/: the `stanley` program hands it to lib/'s
// runner, so lib/ never names an experiment.

#include "run/experiment.h"

namespace stanley {

const ExperimentRegistry& experiment_registry();

}  // namespace stanley
