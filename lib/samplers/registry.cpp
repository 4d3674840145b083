// Every sampler, registered by name. A new sampler: one file plus one line here (and a configs/sampler/ YAML).
#include "samplers/gradient_descent.h"
#include "samplers/langevin.h"
#include "samplers/hmc.h"
#include "samplers/mala.h"
#include "samplers/psgld.h"
#include "samplers/stanley.h"
#include "samplers/stanley_mh.h"
#include "samplers/tamed_langevin.h"

namespace stanley {

Registry<SamplerFactory>& sampler_registry() {
  static Registry<SamplerFactory> table = [] {
    Registry<SamplerFactory> r("sampler");
    r.add("langevin", "unadjusted Langevin: z += (s/2)∇f + √s·ε·ξ", make_langevin);
    r.add("mala", "Langevin proposal + Metropolis-Hastings test, accept per chain", make_mala);
    r.add("gd", "gradient ascent on f without noise: z += (s/2)∇f (paper baseline)", make_gradient_descent);
    r.add("stanley", "anisotropic Langevin, γ = s·th/max(th,|∇f|) (Karimi et al. 2023)", make_stanley);
    r.add("stanley_mh", "STANLEY proposal + Metropolis-Hastings test with both proposal densities", make_stanley_mh);
    r.add("hmc", "Hamiltonian Monte Carlo, unit mass, L leapfrog steps + MH test", make_hmc);
    r.add("tamed", "coordinate-wise tamed Langevin (Brosse et al. 2017)", make_tamed_langevin);
    r.add("psgld", "RMSprop-preconditioned Langevin (Li et al. 2016)", make_psgld);
    return r;
  }();
  return table;
}

}  // namespace stanley
