#pragma once
// Checks shared by the kernel factories.

#include "config/config.h"

namespace stanley {

// step_size > 0 and noise ≥ 0 (noise > 0 where `need_noise`: an MH test on exp(f/ε²)).
void check_step_and_noise(const Config& cfg, bool need_noise);

}  // namespace stanley
