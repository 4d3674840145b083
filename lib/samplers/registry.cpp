// Every sampler, registered by name. A new sampler: one file plus one line here (and a configs/sampler/ YAML).
// The second string of an entry is what `stanley diagnose` changes for a long chain to be one Markov kernel.
#include "samplers/gradient_descent.h"
#include "samplers/hmc.h"
#include "samplers/langevin.h"
#include "samplers/psgld.h"
#include "samplers/stanley.h"
#include "samplers/tamed_langevin.h"

namespace stanley {

Registry<SamplerRecipe>& sampler_registry() {
  static Registry<SamplerRecipe> table = [] {
    Registry<SamplerRecipe> r("sampler");
    r.add("langevin", "unadjusted Langevin: z += (s/2)∇f + √s·ε·ξ", {make_langevin});
    r.add("mala", "Langevin proposal + Metropolis-Hastings test on exp(f/ε²), per chain", {make_mala});
    r.add("gd", "gradient ascent on f without noise: z += (s/2)∇f (paper baseline)", {make_gradient_descent});
    r.add("stanley", "anisotropic Langevin, γ = th/max(th,|∇f(z_{t-1})|) (Karimi et al. 2023, eq. 4-5)",
          {make_stanley, "{gamma_at: every_step}"});
    r.add("stanley_mh", "STANLEY proposal (γ from the state) + Metropolis-Hastings test on exp(f/ε²)", {make_stanley_mh});
    r.add("hmc", "Hamiltonian Monte Carlo on exp(f/ε²), unit mass, L leapfrog steps of h = ε√s + MH test", {make_hmc});
    r.add("tamed", "coordinate-wise tamed Langevin (Brosse et al. 2017)", {make_tamed_langevin});
    r.add("psgld", "RMSprop-preconditioned Langevin (Li et al. 2016)", {make_psgld});
    return r;
  }();
  return table;
}

}  // namespace stanley
