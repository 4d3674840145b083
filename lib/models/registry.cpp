// Every energy model, registered by name. A new model: one file plus one line here.
#include "models/conv_stack.h"
#include "models/energy.h"
#include "models/toy_mlp.h"
#include "models/vanilla_net.h"

namespace stanley {

Registry<EnergyFactory>& energy_registry() {
  static Registry<EnergyFactory> table = [] {
    Registry<EnergyFactory> r("model");
    r.add("toy_mlp", "5-layer MLP with LeakyReLU 0.05 (paper's toy net)", make_toy_mlp);
    r.add("conv_stack", "paper image net: 3x3 stride-1 convs + ReLU, linear head", make_conv_stack);
    r.add("vanilla_net", "ebm-anatomy VanillaNet: 3x3 conv, 4x4 stride-2 convs, LeakyReLU 0.05", make_vanilla_net);
    return r;
  }();
  return table;
}

}  // namespace stanley
