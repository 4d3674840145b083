#include "models/onednn_conv_gradient.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#ifdef STANLEY_HAVE_ONEDNN
#include <dnnl.hpp>
#endif

namespace stanley {

#ifdef STANLEY_HAVE_ONEDNN
namespace {
using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

memory::dims dims_of(at::IntArrayRef sizes) { return memory::dims(sizes.begin(), sizes.end()); }

// A memory in the given layout, filled from (or written to) a plain buffer through a reorder.
void reorder_into(const memory& from, const memory& to, dnnl::stream& stream) {
  dnnl::reorder(from, to).execute(stream, const_cast<memory&>(from), const_cast<memory&>(to));
}
}  // namespace

// Everything one batch size needs, made once: the primitives of a forward and backward pass in order,
// each with its arguments bound. Every convolution picks the layouts it runs fastest in (format `any`);
// where two neighbours picked differently a reorder sits between them, else they share the buffer.
// z comes in and ∇f, f go out through plain fp32 buffers whose handles are set per call.
using Steps = std::vector<std::pair<dnnl::primitive, std::unordered_map<int, memory>>>;

struct OnednnConvGradient::Plan {
  std::int64_t batch = 0;
  std::int64_t weights_version = -1;
  Steps steps;
  memory z_plain, f_plain, grad_plain;
  // Per layer: the plain fp32 weights and bias reordered into the forward and backward-data layouts.
  std::vector<memory> w_fwd, w_bwd, bias;
};

namespace {
// `from` in the layout `to_desc`: the same memory when the layouts agree, else a new buffer filled by a
// reorder appended to the steps.
memory in_layout(const memory& from, const memory::desc& to_desc, Steps& steps) {
  if (from.get_desc() == to_desc) return from;
  memory to(to_desc, cpu_engine());
  steps.push_back({dnnl::reorder(from, to), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}}});
  return to;
}
}  // namespace

OnednnConvGradient::Plan& OnednnConvGradient::plan_for(std::int64_t batch) {
  for (auto& p : plans_)
    if (p->batch == batch) return *p;
  auto plan = std::make_unique<Plan>();
  Plan& p = *plan;
  p.batch = batch;
  auto& engine = cpu_engine();
  const Dt dt = dtype_ == torch::kBFloat16 ? Dt::bf16 : Dt::f32;
  const std::size_t n = layers_.size();
  memory::dims in_dims{batch};
  in_dims.insert(in_dims.end(), sample_shape_.begin(), sample_shape_.end());
  p.z_plain = memory({in_dims, Dt::f32, Tag::nchw}, engine, DNNL_MEMORY_NONE);
  p.grad_plain = memory({in_dims, Dt::f32, Tag::nchw}, engine, DNNL_MEMORY_NONE);
  p.f_plain = memory({{batch, 1, 1, 1}, Dt::f32, Tag::nchw}, engine, DNNL_MEMORY_NONE);

  // Forward: act[i] is layer i's input as layer i wants it; out[i] its output (after the LeakyReLU).
  std::vector<dnnl::convolution_forward::primitive_desc> fwd_pds;
  std::vector<memory> out;
  memory::dims shape = in_dims;
  std::vector<memory::dims> in_shapes;
  memory previous = p.z_plain;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& layer = layers_[i];
    const std::int64_t k = layer.weight.size(2), out_c = layer.weight.size(0);
    const std::int64_t side = (shape[2] + 2 * layer.padding - k) / layer.stride + 1;
    const memory::dims out_dims{batch, out_c, side, side};
    const bool last = i + 1 == n;
    const memory::desc w(dims_of(layer.weight.sizes()), dt, Tag::any), b({out_c}, Dt::f32, Tag::x);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                                      memory::desc(shape, dt, Tag::any), w, b,
                                      memory::desc(out_dims, last ? Dt::f32 : dt, Tag::any), {layer.stride, layer.stride},
                                      {layer.padding, layer.padding}, {layer.padding, layer.padding});
    dnnl::primitive_attr attr;
    if (!last) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, static_cast<float>(slope_), 0.0f);  // LeakyReLU
      attr.set_post_ops(ops);
    }
    const auto& fpd = fwd_pds.emplace_back(d, attr, engine);
    const memory src = in_layout(previous, fpd.src_desc(), p.steps);
    const memory dst(fpd.dst_desc(), engine);
    p.w_fwd.emplace_back(fpd.weights_desc(), engine);
    p.bias.emplace_back(fpd.bias_desc(), engine);
    p.steps.push_back({dnnl::convolution_forward(fpd), {{DNNL_ARG_SRC, src},
                                                       {DNNL_ARG_WEIGHTS, p.w_fwd.back()},
                                                       {DNNL_ARG_BIAS, p.bias.back()},
                                                       {DNNL_ARG_DST, dst}}});
    in_shapes.push_back(shape);
    out.push_back(dst);
    previous = dst;
    shape = out_dims;
  }
  p.steps.push_back({dnnl::reorder(out.back(), p.f_plain), {{DNNL_ARG_FROM, out.back()}, {DNNL_ARG_TO, p.f_plain}}});

  // Backward: ∂f/∂f = 1 for every chain (f is summed over the batch; each chain's f depends on its z alone),
  // then each layer's backward-data convolution, and LeakyReLU's backward from its output (the sign of the
  // output is the sign of the input, slope > 0) in that output's layout, in place.
  memory grad_out(memory::desc({batch, 1, 1, 1}, Dt::f32, Tag::nchw), engine);
  std::fill_n(static_cast<float*>(grad_out.get_data_handle()), batch, 1.0f);
  memory diff = grad_out;
  p.w_bwd.resize(n);
  for (std::size_t i = n; i-- > 0;) {
    const auto& layer = layers_[i];
    if (i + 1 < n) {
      const memory at_out = in_layout(diff, out[i].get_desc(), p.steps);
      dnnl::eltwise_forward::desc fd(dnnl::prop_kind::forward_training, dnnl::algorithm::eltwise_relu_use_dst_for_bwd,
                                     out[i].get_desc(), static_cast<float>(slope_), 0.0f);
      dnnl::eltwise_backward::desc bd(dnnl::algorithm::eltwise_relu_use_dst_for_bwd, out[i].get_desc(), out[i].get_desc(),
                                      static_cast<float>(slope_), 0.0f);
      dnnl::eltwise_backward::primitive_desc epd(bd, engine, dnnl::eltwise_forward::primitive_desc(fd, engine));
      p.steps.push_back({dnnl::eltwise_backward(epd), {{DNNL_ARG_DST, out[i]},
                                                        {DNNL_ARG_DIFF_DST, at_out},
                                                        {DNNL_ARG_DIFF_SRC, at_out}}});
      diff = at_out;
    }
    const memory::desc w(dims_of(layer.weight.sizes()), dt, Tag::any);
    const memory::desc diff_dst(fwd_pds[i].dst_desc().dims(), dt, Tag::any);
    const memory::desc diff_src(in_shapes[i], i == 0 ? Dt::f32 : dt, Tag::any);
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, diff_src, w, diff_dst,
                                            {layer.stride, layer.stride}, {layer.padding, layer.padding},
                                            {layer.padding, layer.padding});
    dnnl::convolution_backward_data::primitive_desc bpd(d, engine, fwd_pds[i]);
    const memory dd = in_layout(diff, bpd.diff_dst_desc(), p.steps);
    p.w_bwd[i] = memory(bpd.weights_desc(), engine);
    const memory ds(bpd.diff_src_desc(), engine);
    p.steps.push_back({dnnl::convolution_backward_data(bpd),
                       {{DNNL_ARG_DIFF_DST, dd}, {DNNL_ARG_WEIGHTS, p.w_bwd[i]}, {DNNL_ARG_DIFF_SRC, ds}}});
    diff = ds;
  }
  p.steps.push_back({dnnl::reorder(diff, p.grad_plain), {{DNNL_ARG_FROM, diff}, {DNNL_ARG_TO, p.grad_plain}}});
  plans_.push_back(std::move(plan));
  return *plans_.back();
}

OnednnConvGradient::OnednnConvGradient(std::vector<ConvLayer> layers, double negative_slope,
                                       std::vector<std::int64_t> sample_shape, torch::Dtype dtype)
    : layers_(std::move(layers)), slope_(negative_slope), sample_shape_(std::move(sample_shape)), dtype_(dtype) {
  if (layers_.empty() || sample_shape_.size() != 3)
    throw std::logic_error("OnednnConvGradient: needs convolutions over [C, H, W] samples");
  if (!(slope_ > 0)) throw std::logic_error("OnednnConvGradient: the LeakyReLU's backward from its output needs slope > 0");
}

OnednnConvGradient::~OnednnConvGradient() = default;

bool OnednnConvGradient::available() { return true; }

void OnednnConvGradient::set_weights() { ++weights_version_; }

EnergyGrad OnednnConvGradient::energy_and_grad(const torch::Tensor& z_in) {
  const torch::Tensor z = z_in.contiguous();
  if (!z.device().is_cpu() || z.scalar_type() != torch::kFloat32)
    throw std::logic_error("OnednnConvGradient: z must be fp32 on the CPU");
  Plan& p = plan_for(z.size(0));
  auto& engine = cpu_engine();
  dnnl::stream stream(engine);
  if (p.weights_version != weights_version_) {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      const torch::Tensor w = layers_[i].weight.detach().contiguous(), b = layers_[i].bias.detach().contiguous();
      memory plain_w({dims_of(w.sizes()), Dt::f32, Tag::oihw}, engine, w.data_ptr());
      reorder_into(plain_w, p.w_fwd[i], stream);
      reorder_into(plain_w, p.w_bwd[i], stream);
      memory plain_b({{b.size(0)}, Dt::f32, Tag::x}, engine, b.data_ptr());
      reorder_into(plain_b, p.bias[i], stream);
    }
    p.weights_version = weights_version_;
  }
  torch::Tensor f = torch::empty({z.size(0)}, z.options()), grad = torch::empty_like(z);
  p.z_plain.set_data_handle(z.data_ptr());
  p.f_plain.set_data_handle(f.data_ptr());
  p.grad_plain.set_data_handle(grad.data_ptr());
  for (auto& [primitive, args] : p.steps) primitive.execute(stream, args);
  stream.wait();
  return {f, grad};
}

#else  // no oneDNN headers at configure time: the direct path is absent, callers keep libtorch's.

struct OnednnConvGradient::Plan {};
OnednnConvGradient::OnednnConvGradient(std::vector<ConvLayer>, double, std::vector<std::int64_t>, torch::Dtype) {
  throw std::logic_error("OnednnConvGradient: this build has no oneDNN headers (libdnnl-dev)");
}
OnednnConvGradient::~OnednnConvGradient() = default;
bool OnednnConvGradient::available() { return false; }
void OnednnConvGradient::set_weights() {}
EnergyGrad OnednnConvGradient::energy_and_grad(const torch::Tensor&) { return {}; }
OnednnConvGradient::Plan& OnednnConvGradient::plan_for(std::int64_t) { throw std::logic_error("unreachable"); }

#endif

}  // namespace stanley
