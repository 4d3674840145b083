#include "samplers/sampler.h"

#include "random/draws.h"
#include "samplers/chain_ops.h"
#include "samplers/cuda_graph_replay.h"

namespace stanley {
namespace {

// Names of the driver's carried state in checkpoints (kept from the first checkpoints that held them); the
// kernel's tensors keep the names it gives them.
constexpr const char* kLogStepKey = "adapted_log_step";
constexpr const char* kGraphRngKey = "cuda_graph_rng";

// What every step records: mean f(z_k), mean ‖∇f(z_k)‖, mean ‖z_k − z_{k−1}‖, and what the kernel
// reported; z_next goes to trace->observe.
void record_step(ChainTrace& trace, const ChainState& from, const Step& step, const torch::Tensor& accept_rate) {
  trace.add("f_mean", from.at.f.mean());
  trace.add("grad_norm", per_sample_norm(from.at.grad).mean());
  trace.add("step_norm", per_sample_norm(step.next.z - from.z).mean());
  if (trace.observe) trace.observe(step.next.z);
  if (accept_rate.defined()) trace.add("accept_rate", accept_rate);
  if (step.info) step.info->record(trace);
}

}  // namespace

std::map<std::string, torch::Tensor> CarriedState::to_tensors() const {
  std::map<std::string, torch::Tensor> out(kernel.begin(), kernel.end());
  if (log_step) out[kLogStepKey] = torch::tensor(*log_step, torch::kFloat64);
  if (graph_rng.defined()) out[kGraphRngKey] = graph_rng;
  return out;
}

CarriedState CarriedState::from_tensors(const std::map<std::string, torch::Tensor>& tensors) {
  CarriedState s;
  for (const auto& [name, t] : tensors) {
    if (name == kLogStepKey) s.log_step = t.item<double>();
    else if (name == kGraphRngKey) s.graph_rng = t;
    else s.kernel[name] = t;
  }
  return s;
}

Sampler::Sampler(KernelPtr kernel) : kernel_(std::move(kernel)), traits_(kernel_->traits()), step_size_(traits_.step_size) {}
Sampler::~Sampler() = default;

SamplerPtr Sampler::fork() const {
  auto copy = std::make_unique<Sampler>(kernel_->clone());
  copy->step_size_ = step_size_;
  copy->carried_ = carried_;
  if (adaptation_) copy->adaptation_ = adaptation_->clone();
  return copy;
}

std::optional<GaussianKernel> Sampler::gaussian_kernel(const torch::Tensor& z, const torch::Tensor& grad) const {
  if (const GaussianForm* g = kernel_->gaussian()) return g->at(z, grad, step_size_);
  return std::nullopt;
}

void Sampler::set_adaptation(std::unique_ptr<StepAdaptation> adaptation) { adaptation_ = std::move(adaptation); }

void Sampler::capture_cuda_graphs() { graph_ = std::make_unique<CudaGraphReplay>(); }

CarriedState Sampler::carried() const {
  CarriedState s;
  s.kernel = carried_;
  if (adaptation_) s.log_step = std::log(step_size());
  if (graph_) s.graph_rng = graph_->rng_state();
  return s;
}

void Sampler::restore(const CarriedState& state) {
  carried_ = state.kernel;
  if (state.log_step) set_step_size(std::exp(*state.log_step));
  if (graph_) graph_->restore(state.graph_rng);
}

torch::Tensor Sampler::sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                              const ChainStreams& streams, ChainTrace* trace) {
  torch::Tensor z = graph_ ? graph_->sample(*this, energy, z0, n_steps, streams, trace) : run(energy, z0, n_steps, streams, trace);
  if (adaptation_ && last_accept_.defined()) set_step_size(adaptation_->update(step_size(), last_accept_.item<double>()));
  return z;
}

torch::Tensor Sampler::run(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                           ChainTrace* trace) {
  FrozenParameters frozen(energy);
  ChainState s{z0.detach(), {}, {}};
  s.at = energy_and_grad(energy, s.z);
  s.aux = kernel_->init(energy, s, carried_, step_size_);
  at::Generator noise_gen = streams.noise, accept_gen = streams.accept;
  const bool draw_normals = n_steps > 0 && traits_.temperature > 0, draw_uniforms = n_steps > 0 && traits_.draws_uniform;
  const torch::Tensor normals = draw_normals ? draw_step_noise(n_steps, s.z, noise_gen) : torch::Tensor();
  const torch::Tensor uniforms =
      draw_uniforms ? draw::uniform({n_steps, s.z.size(0)}, accept_gen, s.at.f.options()) : torch::Tensor();
  torch::Tensor accepted = draw_uniforms ? torch::zeros({}, s.z.options()) : torch::Tensor();  // Σ per-step acceptance
  for (std::int64_t k = 0; k < n_steps; ++k) {
    if (!s.at.f.defined()) s.at = energy_and_grad(energy, s.z);
    Step step = kernel_->step(energy, s, {draw_normals ? normals[k] : torch::Tensor(), draw_uniforms ? uniforms[k] : torch::Tensor()},
                              step_size_);
    torch::Tensor rate;
    if (step.accepted.defined()) {
      rate = step.accepted.to(s.z.scalar_type()).mean();
      accepted = accepted + rate;
    }
    if (trace) record_step(*trace, s, step, rate);
    s = std::move(step.next);
  }
  carried_ = kernel_->carry(s);
  last_accept_ = accepted.defined() && n_steps > 0 ? accepted / static_cast<double>(n_steps) : torch::Tensor();
  return s.z;
}

torch::Tensor draw_step_noise(std::int64_t n_steps, const torch::Tensor& z, at::Generator& gen) {
  std::vector<std::int64_t> sizes{n_steps};
  sizes.insert(sizes.end(), z.sizes().begin(), z.sizes().end());
  return draw::normal(sizes, gen, z.options());
}

}  // namespace stanley
