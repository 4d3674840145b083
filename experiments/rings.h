#pragma once
#include <memory>

#include "run/experiment.h"

namespace stanley {
std::unique_ptr<Experiment> make_rings_experiment();
}  // namespace stanley
