#include "samplers/metropolis_hastings.h"

#include <stdexcept>

#include "samplers/chain_ops.h"

namespace stanley {

MetropolisHastings::MetropolisHastings(KernelPtr proposal) : proposal_(std::move(proposal)) {
  if (!proposal_->proposes())
    throw std::logic_error("MetropolisHastings needs a proposal that reports its correction (a Markov kernel with noise)");
}

Step MetropolisHastings::step(EnergyModel& energy, const ChainState& s, const StepDraws& draws) {
  Step p = proposal_->propose(energy, s, draws);
  const torch::Tensor log_ratio = metropolis_log_ratio(s, p.next, temperature(), p.info.log_correction);
  MhChoice c = metropolis_choice(s, p.next, log_ratio, draws.uniform);
  p.info.accepted = c.accepted;
  p.info.log_accept_ratio = log_ratio;
  return {std::move(c.next), std::move(p.info)};
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
  return {{torch::where(rows, to.z, from.z),
           {torch::where(accept, to.at.f, from.at.f), torch::where(per_chain(accept, from.at.grad), to.at.grad, from.at.grad)}},
          accept};
}

}  // namespace stanley
