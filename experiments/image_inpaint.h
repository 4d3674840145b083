#pragma once
#include <memory>

#include "run/experiment.h"

namespace stanley {
// Paper Fig. 6: an image EBM whose evaluation also fills masked test images with the sampler.
std::unique_ptr<Experiment> make_image_inpaint_experiment();
}  // namespace stanley
