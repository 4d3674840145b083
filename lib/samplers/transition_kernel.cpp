#include "samplers/transition_kernel.h"

#include <stdexcept>

namespace stanley {

Step TransitionKernel::propose(EnergyModel& /*energy*/, const ChainState& /*s*/, const StepDraws& /*draws*/) {
  throw std::logic_error("this kernel reports no proposal correction: it cannot be a Metropolis-Hastings proposal");
}

}  // namespace stanley
