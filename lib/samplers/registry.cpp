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

KernelPtr make_kinetic_langevin(const Config& cfg);  // samplers/kinetic_langevin.cpp: a kernel no other file needs

Registry<SamplerRecipe>& sampler_registry() {
  static Registry<SamplerRecipe> table = [] {
    Registry<SamplerRecipe> r("sampler");
    r.add("langevin", "unadjusted Langevin: z += (s/2)∇f + √s·ε·ξ", {make_langevin, "z ← z + (s/2)g + √s·ε·ξ"});
    r.add("mala", "Langevin proposal + Metropolis-Hastings test on exp(f/ε²), per chain",
          {make_mala, "the Langevin kernel as proposal + MH test on f/T, per chain"});
    r.add("gd", "gradient ascent on f without noise: z += (s/2)∇f (paper baseline)",
          {make_gradient_descent, "the paper's \"gradient descent without noise\": z ← z + (s/2)g"});
    r.add("stanley", "anisotropic Langevin, γ = th/max(th,|∇f(z_{t-1})|) (Karimi et al. 2023, eq. 4-5)",
          {make_stanley,
           "γ_t = th / max(th, \\|∇f_θt(z_{t−1}^m)\\|) per coordinate (eq. 4); z ← z + (γ_t/2)⊙g + √γ_t⊙ε·ξ (eq. 5)",
           "{gamma_at: every_step}"});
    r.add("stanley_mh", "STANLEY proposal (γ from the state) + Metropolis-Hastings test on exp(f/ε²)",
          {make_stanley_mh, "STANLEY's kernel with γ(z) from the state as proposal + MH test with q(y\\|z), q(z\\|y)"});
    r.add("hmc", "Hamiltonian Monte Carlo on exp(f/ε²), unit mass, L leapfrog steps of h = ε√s + MH test",
          {make_hmc, "unit mass, `n_leapfrog` leapfrog steps of h = ε√s on −f/T + ½‖p‖², MH test"});
    r.add("tamed", "coordinate-wise tamed Langevin (Brosse et al. 2017)",
          {make_tamed_langevin, "coordinate-wise tamed Langevin (Brosse et al. 2017): z ← z + (s/2)g/(1 + (s/2)\\|g\\|) + √s·ε·ξ"});
    r.add("psgld", "RMSprop-preconditioned Langevin (Li et al. 2016)",
          {make_psgld, "RMSprop-preconditioned Langevin (Li et al. 2016): G = 1/(λ + √V), z ← z + (s/2)G⊙g + √(sG)⊙ε·ξ"});
    r.add("kinetic_langevin", "underdamped Langevin, BAOAB, velocity carried over the K steps, friction γ, h = ε√s",
          {make_kinetic_langevin,
           "underdamped Langevin, BAOAB, unit mass, h = ε√s: v += (h/2)g/T; z += (h/2)v; v ← c·v + √(1−c²)·ξ, "
           "c = exp(−`friction`·h); z += (h/2)v; v += (h/2)g(z)/T"});
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

std::string sampler_markdown(const std::string& config_dir) {
  std::string out = "| name | update (g = ∇f(z)) | exact for π_T |\n| --- | --- | --- |\n";
  for (const auto& [name, entry] : sampler_registry().entries()) {
    const SamplerPtr sampler = make_sampler(Config(YAML::LoadFile(config_dir + "/sampler/" + name + ".yaml"), "sampler"));
    const char* exact = sampler->exact() ? "yes" : sampler->temperature() == 0 ? "T = 0" : "no";
    out += fmt::format("| `{}` | {} | {} |\n", name, entry.factory.update, exact);
  }
  return out;
}

SamplerPtr make_sampler(const Config& sampler_cfg) {
  auto sampler = std::make_unique<Sampler>(sampler_registry().get(sampler_cfg.get<std::string>("name")).factory.make(sampler_cfg));
  const bool adapt = sampler_cfg.has("adapt_step") && sampler_cfg.get<bool>("adapt_step");
  if (adapt) {
    if (!sampler->adaptable())
      throw UserError(fmt::format("{}=true: sampler '{}' has no Metropolis-Hastings test or no step size to adapt "
                                  "(stanley_mh adapts s only with gamma_times_s: true)",
                                  sampler_cfg.full_key("adapt_step"), sampler_cfg.get<std::string>("name")));
    sampler->set_adaptation(
        std::make_unique<ConstantGain>(sampler_cfg.get<double>("target_accept"), sampler_cfg.get<double>("adapt_rate")));
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
