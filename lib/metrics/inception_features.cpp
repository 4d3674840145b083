#include "metrics/inception_features.h"

#include <caffe2/serialize/inline_container.h>

#include <fmt/format.h>

#include <fstream>

#include "config/config.h"
#include "config/errors.h"
#include "config/yaml_tree.h"
#include "data/image_set.h"

namespace fs = std::filesystem;

namespace stanley {

namespace {

void require_exists(const fs::path& file) {
  if (!fs::exists(file)) {
    throw UserError(fmt::format("features.inception.path={}: no such file; supply NVIDIA's inception-2015-12-05.pt "
                                "or a pytorch-fid export made by analysis/export_inception.py", file.string()));
  }
}

UserError not_torchscript(const fs::path& file, const std::string& why) {
  return UserError(fmt::format("features.inception.path={}: not a loadable TorchScript file ({})", file.string(),
                               first_line(why)));
}

torch::jit::script::Module load_inception(const fs::path& file, const torch::Device& device) {
  require_exists(file);
  try {
    return torch::jit::load(file.string(), device);
  } catch (const c10::Error& e) {
    throw not_torchscript(file, e.what_without_backtrace());
  }
}

}  // namespace

// Only the archive's index (its end, where a truncated copy breaks) and the records every TorchScript
// module has: loading the ~100 MB network here would be done again by the run's InceptionFeatures.
void check_inception_file(const fs::path& file) {
  require_exists(file);
  try {
    caffe2::serialize::PyTorchStreamReader archive(file.string());
    if (!archive.hasRecord("data.pkl") || !archive.hasRecord("constants.pkl"))
      throw std::runtime_error("no data.pkl and constants.pkl: a zip, but not a TorchScript module");
  } catch (const std::exception& e) {
    throw not_torchscript(file, e.what());
  }
}

InceptionFeatures::InceptionFeatures(const fs::path& file, const std::string& format, const torch::Device& device)
    : device_(device) {
  module_ = load_inception(file, device);
  module_.eval();
  if (format == "auto") {
    bool has_flag = false;
    for (const auto& arg : module_.get_method("forward").function().getSchema().arguments())
      if (arg.name() == "return_features") has_flag = true;
    format_ = has_flag ? Format::kNvidia : Format::kPytorchFid;
  } else if (format == "nvidia") {
    format_ = Format::kNvidia;
  } else if (format == "pytorch_fid") {
    format_ = Format::kPytorchFid;
  } else {
    throw UserError(fmt::format("features.inception.format: '{}' is not one of auto, nvidia, pytorch_fid", format));
  }
  fingerprint_ = hash_text(fmt::format("inception|{}|{}|{}", fs::absolute(file).string(), fs::file_size(file),
                                       format_ == Format::kNvidia ? "nvidia" : "pytorch_fid"));
}

torch::Tensor InceptionFeatures::features(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  torch::Tensor x = images.to(device_, torch::kFloat32);
  if (x.size(1) == 1) x = x.expand({x.size(0), 3, x.size(2), x.size(3)});  // grey -> RGB
  torch::Tensor out;
  if (format_ == Format::kNvidia) {
    // 0..255 pixel values, as the uint8 images clean-fid and StyleGAN feed it.
    torch::Tensor u8 = to_uint8(x);
    out = module_.forward({u8, true}).toTensor();
  } else {
    namespace F = torch::nn::functional;
    x = F::interpolate(x, F::InterpolateFuncOptions()
                              .size(std::vector<std::int64_t>{299, 299})
                              .mode(torch::kBilinear)
                              .align_corners(false));
    out = module_.forward({x}).toTensor();
  }
  return out.reshape({out.size(0), -1}).to(torch::kCPU, torch::kFloat32);
}

}  // namespace stanley
