// Every energy model, registered by name. A new model: one file plus one line here.
#include "models/energy.h"
#include "models/toy_mlp.h"

namespace stanley {

Registry<EnergyFactory>& energy_registry() {
  static Registry<EnergyFactory> table = [] {
    Registry<EnergyFactory> r("model");
    r.add("toy_mlp", "5-layer MLP with LeakyReLU 0.05 (paper's toy net)", make_toy_mlp);
    return r;
  }();
  return table;
}

}  // namespace stanley
