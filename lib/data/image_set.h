#pragma once
// Decoded images as the readers hand them over: uint8 pixels [N, C, H, W] and optional labels.

#include <torch/torch.h>

namespace stanley {

struct ImageSet {
  torch::Tensor images;  // uint8 [N, C, H, W]
  torch::Tensor labels;  // int64 [N]; undefined where the format has none
};

// uint8 [.., C, H, W] in 0..255 -> float32 in [-1, 1].
inline torch::Tensor to_unit_range(const torch::Tensor& u8) { return u8.to(torch::kFloat32).div(127.5).sub(1.0); }
// float in [-1, 1] -> uint8 0..255, rounded and clamped (what a saved PNG holds).
inline torch::Tensor to_uint8(const torch::Tensor& x) {
  return x.detach().add(1.0).mul(127.5).round().clamp(0, 255).to(torch::kUInt8);
}

}  // namespace stanley
