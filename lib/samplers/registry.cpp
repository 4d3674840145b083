// Every sampler, registered by name. A new sampler: one file plus one line here (and a configs/sampler/ YAML).
#include "samplers/gradient_descent.h"
#include "samplers/langevin.h"
#include "samplers/mala.h"
#include "samplers/stanley.h"

namespace stanley {

Registry<SamplerFactory>& sampler_registry() {
  static Registry<SamplerFactory> table = [] {
    Registry<SamplerFactory> r("sampler");
    r.add("langevin", "unadjusted Langevin: z += (s/2)∇f + √s·ε·ξ", make_langevin);
    r.add("mala", "Langevin proposal + Metropolis-Hastings test, accept per chain", make_mala);
    r.add("gd", "gradient ascent on f without noise: z += (s/2)∇f (paper baseline)", make_gradient_descent);
    r.add("stanley", "anisotropic Langevin, γ = s·th/max(th,|∇f|) (Karimi et al. 2023)", make_stanley);
    return r;
  }();
  return table;
}

}  // namespace stanley
