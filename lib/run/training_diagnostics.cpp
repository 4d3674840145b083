#include "run/training_diagnostics.h"

#include <fmt/format.h>

#include <cmath>

#include "metrics/chain_study.h"
#include "metrics/coupling.h"
#include "samplers/sampler_registry.h"
#include "training/generators.h"

namespace stanley {

TrainingDiagnostics TrainingDiagnostics::from_config(const Config& cfg) {
  TrainingDiagnostics d;
  d.enabled = cfg.get<bool>("eval.diagnose", false);
  d.chains = cfg.get<long>("eval.diagnose_chains", d.chains);
  d.steps = cfg.get<long>("eval.diagnose_steps", d.steps);
  d.pairs = cfg.get<long>("eval.diagnose_pairs", d.pairs);
  d.seed = cfg.get<std::uint64_t>("seed");
  if (!d.enabled) return d;
  cfg.require(d.chains % 8 == 0, "eval.diagnose_chains", "a multiple of 8 (superchains of 8)");  // beyond its declared range
  // What the sampler's registry entry changes for a long chain (STANLEY: γ from the current state).
  d.sampler_cfg = long_chain_sampler_config(cfg.sub("sampler").node());
  make_sampler(Config(d.sampler_cfg, "sampler"));  // a bad combination fails at setup, not mid-run
  return d;
}

std::map<std::string, double> TrainingDiagnostics::measure(EnergyModel& model, const ChainInit& init, Dataset& data,
                                                           const torch::Device& device, std::int64_t iteration) const {
  std::map<std::string, double> out;
  if (!enabled) return out;
  SamplerPtr sampler = make_sampler(Config(sampler_cfg, "sampler"));
  // Streams of their own: turning diagnostics on changes no other number of the run.
  at::Generator gen = make_generator(device, derive_seed(seed, fmt::format("eval/diagnose/{}", iteration)));
  at::Generator gen_data = make_generator(torch::kCPU, derive_seed(seed, fmt::format("eval/diagnose_data/{}", iteration)));
  const auto shape = data.sample_shape();
  ChainStudyOptions opts;
  opts.steps = steps;
  opts.superchain = 8;
  opts.rhat_points = 1;
  const ChainStudy s = study_chains(model, *sampler, init.draw(chains, shape, gen, device),
                                    data.batch(chains, gen_data, device), opts, gen);
  out["diag_ess_bulk"] = s.ess_bulk;
  out["diag_ess_per_grad"] = s.ess_per_grad;
  out["diag_rhat"] = s.rhat;
  out["diag_ksd"] = s.ksd_imq;
  if (sampler->couplable()) {
    CouplingOptions co;
    co.pairs = pairs;
    co.max_steps = steps;
    co.horizon = steps;
    torch::Tensor x0 = init.draw(pairs, shape, gen, device), y0 = init.draw(pairs, shape, gen, device);
    const CouplingResult r = llag_coupling(model, *sampler, x0, y0, co, gen);
    out["diag_rho"] = r.rate.rho;
    out["diag_unmet_frac"] = static_cast<double>(r.unmet) / static_cast<double>(pairs);
  }
  for (auto it = out.begin(); it != out.end();) it = std::isfinite(it->second) ? std::next(it) : out.erase(it);
  return out;
}

}  // namespace stanley
