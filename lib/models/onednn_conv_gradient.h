#pragma once
// f(z) and ∇_z f(z) of a ConvNet energy (convolutions with LeakyReLU between, the last one to a scalar:
// VanillaNet) computed by oneDNN directly, for the K sampler steps of an EBM iteration on a CPU.
// Why not libtorch's modules: each of their convolution calls reorders weights and activations between
// plain NCHW and oneDNN's blocked layouts (measured on the twin: ~370 reorders an iteration, a sixth of
// its time) and autograd records a graph it then walks. Here the weights are reordered into each
// primitive's layout once per EBM iteration (set_weights), activations stay in the layouts the
// convolutions chose across all K steps, the LeakyReLU runs as the convolution's post-op, and the input
// gradient is the backward-data convolutions run in turn (no weight gradients, no graph).
// Built only when oneDNN's headers were found (STANLEY_HAVE_ONEDNN): libtorch on Debian links the same
// libdnnl.so.2, so ONEDNN_MAX_CPU_ISA and the thread count govern both.

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "models/energy.h"

namespace stanley {

// One convolution of the net: its parameters (the training net's own tensors, read at set_weights).
struct ConvLayer {
  torch::Tensor weight;  // [out, in, k, k], fp32, contiguous
  torch::Tensor bias;    // [out], fp32
  std::int64_t stride = 1, padding = 0;
};

class OnednnConvGradient {
 public:
  // layers: in order; LeakyReLU(negative_slope) after each but the last, whose output is [batch, 1, 1, 1].
  // dtype: kBFloat16 or kFloat32 (the convolutions' arithmetic; z, f and ∇f are fp32 either way).
  OnednnConvGradient(std::vector<ConvLayer> layers, double negative_slope, std::vector<std::int64_t> sample_shape,
                     torch::Dtype dtype);
  ~OnednnConvGradient();
  // The layers' weights changed (an optimiser step): reorder them again before the next call.
  void set_weights();
  // z: [batch, ...sample_shape], fp32, on the CPU.
  EnergyGrad energy_and_grad(const torch::Tensor& z);

  // True when this build has the direct path (oneDNN's headers were found at configure time).
  static bool available();

 private:
  struct Plan;  // the primitives and buffers for one batch size
  Plan& plan_for(std::int64_t batch);

  std::vector<ConvLayer> layers_;
  double slope_;
  std::vector<std::int64_t> sample_shape_;
  torch::Dtype dtype_;
  std::int64_t weights_version_ = 0;
  std::vector<std::unique_ptr<Plan>> plans_;
};

}  // namespace stanley
