#include "samplers/metropolis_hastings.h"

#include <stdexcept>
#include <string>

#include "samplers/chain_ops.h"
#include "samplers/chain_trace.h"

namespace stanley {
namespace {

// What an MH step reports: the proposal's own info, and |log ratio| as abs_delta_h for a leapfrog proposal.
struct MetropolisInfo : StepInfo {
  InfoPtr proposal;
  torch::Tensor log_ratio;
  bool hamiltonian = false;
  void record(ChainTrace& trace) const override {
    if (hamiltonian) trace.add("abs_delta_h", log_ratio.abs().mean());
    if (proposal) proposal->record(trace);
  }
};

}  // namespace

MetropolisHastings::MetropolisHastings(KernelPtr proposal) : proposal_(std::move(proposal)) {
  if (!proposal_->proposing())
    throw std::logic_error("MetropolisHastings needs a proposal that reports its correction (a Markov kernel with noise)");
}

KernelTraits MetropolisHastings::traits() const {
  KernelTraits t = proposal_->traits();
  t.draws_uniform = true;
  t.exact = true;
  return t;
}

Step MetropolisHastings::step(EnergyModel& energy, const ChainState& s, const StepDraws& draws, double step_size) const {
  Proposal p = proposal_->proposing()->propose(energy, s, draws, step_size);
  auto info = std::make_shared<MetropolisInfo>();
  info->log_ratio = metropolis_log_ratio(s, p.next, traits().temperature, p.log_correction);
  info->proposal = std::move(p.info);
  info->hamiltonian = p.hamiltonian;
  MhChoice c = metropolis_choice(s, p.next, info->log_ratio, draws.uniform);
  return {std::move(c.next), std::move(info), std::move(c.accepted)};
}

torch::Tensor metropolis_log_ratio(const ChainState& from, const ChainState& to, double temperature,
                                   const torch::Tensor& log_correction) {
  return (to.at.f - from.at.f) / temperature + log_correction;
}

MhChoice metropolis_choice(const ChainState& from, const ChainState& to, const torch::Tensor& log_ratio,
                           const torch::Tensor& u) {
  // A NaN ratio (an overflowing proposal) rejects.
  const torch::Tensor accept = u.log() < log_ratio;
  const torch::Tensor rows = per_chain(accept, from.z);
  MhChoice c{{torch::where(rows, to.z, from.z),
              {torch::where(accept, to.at.f, from.at.f), torch::where(per_chain(accept, from.at.grad), to.at.grad, from.at.grad)},
              {}},
             accept};
  // The kernel's tensors: per-chain ones chosen with z, the call's (shared, or not batch-shaped) kept as proposed.
  // A per-chain tensor must exist before the step (made by the kernel's init): a rejected chain keeps its own.
  for (const auto& [name, proposed] : to.aux) {
    const auto it = from.aux.find(name);
    if (it == from.aux.end())
      throw std::logic_error("MH over a kernel whose step adds the tensor '" + name + "': make it in init, so that a rejected chain keeps its own");
    const bool per_chain_tensor = !it->second.is_same(proposed) && proposed.dim() > 0 && proposed.size(0) == from.z.size(0) &&
                                  it->second.sizes() == proposed.sizes();
    c.next.aux[name] = per_chain_tensor ? torch::where(per_chain(accept, proposed), proposed, it->second) : proposed;
  }
  return c;
}

}  // namespace stanley
