#include "samplers/cuda_graph_sampler.h"

#include <fmt/format.h>

#include "io/errors.h"
#include "random/draws.h"
#include "random/streams.h"
#include "samplers/wrapped_sampler.h"

#ifdef STANLEY_WITH_CUDA
#include <ATen/cuda/CUDAEvent.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace stanley {

namespace {
constexpr const char* kRefusal =
    "sampler.cuda_graph=true needs a CUDA build of libtorch and device=cuda (README \"On a GPU\"); this build is CPU-only";
}  // namespace

#ifndef STANLEY_WITH_CUDA

void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& /*device*/) {
  if (sampler_cfg.has("cuda_graph") && sampler_cfg.get<bool>("cuda_graph")) throw UserError(kRefusal);
}

SamplerPtr wrap_in_cuda_graph(SamplerPtr /*inner*/) { throw UserError(kRefusal); }

#else

namespace {

constexpr const char* kRngKey = "cuda_graph_rng";
constexpr int kWarmupCalls = 3;  // eager calls on a side stream before capture (cuBLAS/cuDNN workspaces)

class CudaGraphSampler : public WrappedSampler {
 public:
  explicit CudaGraphSampler(SamplerPtr inner) : WrappedSampler(std::move(inner)) {}

  using Sampler::sample;
  torch::Tensor sample(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& streams,
                       ChainTrace* trace) override {
    if (!z0.is_cuda()) throw UserError(kRefusal);
    // A capture draws from the default generator only: the step noise and MH uniforms share it here, so
    // under cuda_graph MH samplers are paired with the others by chain starts and data only.
    at::Generator run_gen = streams.noise;
    const ChainStreams graph_gen{default_generator(z0, run_gen), default_generator(z0, run_gen)};
    // A traced call reads per-step statistics back to the host: run it eagerly, then put the state it
    // leaves into the buffers the graph reads.
    if (trace) {
      torch::Tensor z = inner_->sample(energy, z0, n_steps, graph_gen, trace);
      restore_captured_state();
      return z;
    }
    const bool same = captured_ && &energy == energy_ && n_steps == n_steps_ && z0.sizes() == static_in_.sizes() &&
                      z0.device() == static_in_.device();
    if (!same) {
      if (warmups_ < kWarmupCalls) {
        ++warmups_;
        return on_side_stream([&] { return inner_->sample(energy, z0, n_steps, graph_gen, nullptr); });
      }
      capture(energy, z0, n_steps, graph_gen);
    }
    static_in_.copy_(z0);
    graph_->replay();
    return static_out_.clone();  // the next replay overwrites static_out_
  }

  SamplerPtr fork() const override { return inner_->fork(); }  // evaluation chains run eagerly
  bool adaptable() const override { return false; }  // a captured graph keeps its step

  std::map<std::string, torch::Tensor> state() const override {
    auto s = inner_->state();
    if (seeded_) s[kRngKey] = generator_.get_state();
    return s;
  }
  void load_state(const std::map<std::string, torch::Tensor>& state) override {
    inner_->load_state(state);
    if (auto it = state.find(kRngKey); it != state.end()) {
      pending_rng_ = it->second.cpu();
    }
    graph_.reset();  // captured against the old state's buffers
    captured_ = false;
  }

 private:
  // The device's default CUDA generator (the only one a capture may draw from), seeded once from the
  // run's sampler stream so that a run stays one function of its seed.
  at::Generator default_generator(const torch::Tensor& z0, at::Generator& run_gen) {
    if (!seeded_) {
      generator_ = stanley::default_generator(z0.device());
      std::lock_guard<std::mutex> lock(generator_.mutex());
      if (pending_rng_.defined()) {
        generator_.set_state(pending_rng_);
      } else {
        generator_.set_current_seed(draw::seed_from(run_gen));  // once per run
      }
      seeded_ = true;
    }
    return generator_;
  }

  template <class F>
  torch::Tensor on_side_stream(F&& f) {
    const auto current = c10::cuda::getCurrentCUDAStream();
    auto side = c10::cuda::getStreamFromPool();
    at::cuda::CUDAEvent produced, done;
    produced.record(current);
    produced.block(side);  // the side stream waits for the work that produced z0
    torch::Tensor out;
    {
      c10::cuda::CUDAStreamGuard guard(side);
      out = f();
    }
    done.record(side);
    done.block(current);
    return out;
  }

  // The graph reads the carried state (STANLEY's previous samples) from buffers it also writes at its
  // end, so each replay starts from the last one's state.
  void capture(EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps, const ChainStreams& gen) {
    graph_ = std::make_unique<at::cuda::CUDAGraph>();
    static_in_ = z0.clone();
    captured_state_ = inner_->state();
    for (auto& [name, t] : captured_state_) t = t.clone();
    inner_->load_state(captured_state_);
    on_side_stream([&] {
      graph_->capture_begin();
      static_out_ = inner_->sample(energy, static_in_, n_steps, gen, nullptr);
      keep_state_in_buffers();  // captured: every replay ends by writing its state there
      graph_->capture_end();
      return static_out_;
    });
    energy_ = &energy;
    n_steps_ = n_steps;
    captured_ = true;
  }

  void restore_captured_state() {
    if (captured_) keep_state_in_buffers();
  }

  // Copies the state the inner sampler now holds into the buffers the graph reads, and points the
  // sampler back at those buffers.
  void keep_state_in_buffers() {
    const auto now = inner_->state();
    for (auto& [name, buffer] : captured_state_) {
      auto it = now.find(name);
      if (it != now.end() && it->second.data_ptr() != buffer.data_ptr()) buffer.copy_(it->second);
    }
    inner_->load_state(captured_state_);
  }

  std::unique_ptr<at::cuda::CUDAGraph> graph_;
  bool captured_ = false;
  int warmups_ = 0;
  EnergyModel* energy_ = nullptr;
  std::int64_t n_steps_ = -1;
  torch::Tensor static_in_, static_out_, pending_rng_;
  std::map<std::string, torch::Tensor> captured_state_;
  at::Generator generator_;
  bool seeded_ = false;
};

}  // namespace

void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& device) {
  if (!sampler_cfg.has("cuda_graph") || !sampler_cfg.get<bool>("cuda_graph")) return;
  if (!device.is_cuda()) throw UserError("sampler.cuda_graph=true needs device=cuda (CUDA graphs capture GPU kernels)");
}

SamplerPtr wrap_in_cuda_graph(SamplerPtr inner) { return std::make_unique<CudaGraphSampler>(std::move(inner)); }

#endif

}  // namespace stanley
