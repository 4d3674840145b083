#include "samplers/cuda_graph_replay.h"

#include <fmt/format.h>

#include "config/errors.h"
#include "random/draws.h"
#include "random/streams.h"

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

struct CudaGraphReplay::Capture {};

CudaGraphReplay::CudaGraphReplay() { throw UserError(kRefusal); }
CudaGraphReplay::~CudaGraphReplay() = default;
torch::Tensor CudaGraphReplay::sample(Sampler&, EnergyModel&, const torch::Tensor&, std::int64_t, const ChainStreams&,
                                      ChainTrace*) {
  throw UserError(kRefusal);
}
torch::Tensor CudaGraphReplay::rng_state() const { return {}; }
void CudaGraphReplay::restore(const torch::Tensor&) {}

void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& /*device*/) {
  if (sampler_cfg.has("cuda_graph") && sampler_cfg.get<bool>("cuda_graph")) throw UserError(kRefusal);
}

#else

namespace {
constexpr int kWarmupCalls = 3;  // eager calls on a side stream before capture (cuBLAS/cuDNN workspaces)

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
}  // namespace

struct CudaGraphReplay::Capture {
  std::unique_ptr<at::cuda::CUDAGraph> graph;
  bool captured = false;
  int warmups = 0;
  EnergyModel* energy = nullptr;
  std::int64_t n_steps = -1;
  torch::Tensor static_in, static_out, pending_rng;
  KernelState carried_buffers;  // the kernel's carried tensors (STANLEY's previous samples) the graph reads and writes
  at::Generator generator;
  bool seeded = false;

  // The device's default CUDA generator (the only one a capture may draw from), seeded once from the
  // run's noise stream so that a run stays one function of its seed.
  at::Generator default_generator(const torch::Tensor& z0, at::Generator run_gen) {
    if (!seeded) {
      generator = stanley::default_generator(z0.device());
      std::lock_guard<std::mutex> lock(generator.mutex());
      if (pending_rng.defined()) {
        generator.set_state(pending_rng);
      } else {
        generator.set_current_seed(draw::seed_from(run_gen));  // once per run
      }
      seeded = true;
    }
    return generator;
  }

  // Copies the carried tensors the driver now holds into the buffers the graph reads, and points the
  // driver back at those buffers.
  void keep_state_in_buffers(KernelState& carried) {
    for (auto& [name, buffer] : carried_buffers) {
      const auto it = carried.find(name);
      if (it != carried.end() && it->second.defined() && it->second.data_ptr() != buffer.data_ptr()) buffer.copy_(it->second);
      carried[name] = buffer;
    }
  }
};

CudaGraphReplay::CudaGraphReplay() : capture_(std::make_unique<Capture>()) {}
CudaGraphReplay::~CudaGraphReplay() = default;

torch::Tensor CudaGraphReplay::sample(Sampler& sampler, EnergyModel& energy, const torch::Tensor& z0, std::int64_t n_steps,
                                      const ChainStreams& streams, ChainTrace* trace) {
  if (!z0.is_cuda()) throw UserError(kRefusal);
  Capture& c = *capture_;
  const at::Generator gen = c.default_generator(z0, streams.noise);
  const ChainStreams graph_streams{gen, gen};
  // A traced call reads per-step statistics back to the host: run it eagerly, then put the state it
  // leaves into the buffer the graph reads.
  if (trace) {
    torch::Tensor z = sampler.run(energy, z0, n_steps, graph_streams, trace);
    if (c.captured) c.keep_state_in_buffers(sampler.carried_);
    return z;
  }
  const bool same = c.captured && &energy == c.energy && n_steps == c.n_steps && z0.sizes() == c.static_in.sizes() &&
                    z0.device() == c.static_in.device();
  if (!same) {
    if (c.warmups < kWarmupCalls) {
      ++c.warmups;
      return on_side_stream([&] { return sampler.run(energy, z0, n_steps, graph_streams, nullptr); });
    }
    // The graph reads the carried state from a buffer it also writes at its end, so each replay starts
    // from the last one's state.
    c.graph = std::make_unique<at::cuda::CUDAGraph>();
    c.static_in = z0.clone();
    c.carried_buffers.clear();
    for (const auto& [name, t] : sampler.carried_)
      if (t.defined()) c.carried_buffers[name] = t.clone();
    for (const auto& [name, buffer] : c.carried_buffers) sampler.carried_[name] = buffer;
    on_side_stream([&] {
      c.graph->capture_begin();
      c.static_out = sampler.run(energy, c.static_in, n_steps, graph_streams, nullptr);
      c.keep_state_in_buffers(sampler.carried_);  // captured: every replay ends by writing its state there
      c.graph->capture_end();
      return c.static_out;
    });
    c.energy = &energy;
    c.n_steps = n_steps;
    c.captured = true;
  }
  c.static_in.copy_(z0);
  c.graph->replay();
  return c.static_out.clone();  // the next replay overwrites static_out
}

torch::Tensor CudaGraphReplay::rng_state() const {
  return capture_->seeded ? capture_->generator.get_state() : torch::Tensor();
}

void CudaGraphReplay::restore(const torch::Tensor& rng_state) {
  if (rng_state.defined()) capture_->pending_rng = rng_state.cpu();
  capture_->graph.reset();  // captured against the old state's buffers
  capture_->captured = false;
}

void check_cuda_graph_setting(const Config& sampler_cfg, const torch::Device& device) {
  if (!sampler_cfg.has("cuda_graph") || !sampler_cfg.get<bool>("cuda_graph")) return;
  if (!device.is_cuda()) throw UserError("sampler.cuda_graph=true needs device=cuda (CUDA graphs capture GPU kernels)");
}

#endif

}  // namespace stanley
