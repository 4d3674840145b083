// Every sampler, registered by name. A new sampler: one file plus one line here (and a configs/sampler/ YAML).
// The second string of an entry is what `stanley diagnose` changes for a long chain to be one Markov kernel.
#include <fmt/format.h>

#include "samplers/gradient_descent.h"
#include "samplers/hmc.h"
#include "samplers/langevin.h"
#include "samplers/psgld.h"
#include "samplers/sampler_registry.h"
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

YAML::Node long_chain_sampler_config(const YAML::Node& sampler_section) {
  YAML::Node node = YAML::Clone(sampler_section);
  if (node["adapt_step"]) node["adapt_step"] = false;
  const std::string name = node["name"].as<std::string>();
  for (const auto& kv : YAML::Load(sampler_registry().get(name).factory.long_chain_overrides))
    node[kv.first.as<std::string>()] = kv.second;
  return node;
}

SamplerPtr make_sampler(const Config& sampler_cfg) {
  auto sampler = std::make_unique<Sampler>(sampler_registry().get(sampler_cfg.get<std::string>("name")).factory.make(sampler_cfg));
  const bool adapt = sampler_cfg.has("adapt_step") && sampler_cfg.get<bool>("adapt_step");
  if (adapt) {
    if (!sampler->adaptable())
      throw UserError(fmt::format("{}=true: sampler '{}' has no Metropolis-Hastings test or no step size to adapt "
                                  "(stanley_mh adapts s only with gamma_times_s: true)",
                                  sampler_cfg.full_key("adapt_step"), sampler_cfg.get<std::string>("name")));
    const double target = sampler_cfg.get<double>("target_accept");
    const double rate = sampler_cfg.get<double>("adapt_rate");
    sampler_cfg.require(target > 0 && target < 1, "target_accept", "in (0, 1)");
    sampler_cfg.require(rate > 0, "adapt_rate", "> 0");
    sampler->set_adaptation(std::make_unique<ConstantGain>(target, rate));
  }
  if (sampler_cfg.has("cuda_graph") && sampler_cfg.get<bool>("cuda_graph")) {
    if (adapt)
      throw UserError(fmt::format("{}=true with adapt_step=true: the adapted step is a host value between calls, a "
                                  "captured graph would keep the first one", sampler_cfg.full_key("cuda_graph")));
    sampler->capture_cuda_graphs();
  }
  return sampler;
}

}  // namespace stanley
