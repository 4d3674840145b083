// Inpainting (paper Fig. 6): train as the image EBM does; at each evaluation, mask fixed test images
// (box, half or random pixels), fill the holes with the run's sampler while observed pixels stay
// clamped, and report MSE/PSNR on the holes with a grid of masked / completed / truth rows.
#include "experiments/image_inpaint.h"

#include <fmt/format.h>

#include "data/image_grid.h"
#include "experiments/image_ebm.h"
#include "metrics/reconstruction.h"
#include "random/streams.h"
#include "samplers/inpainting.h"

namespace stanley {
namespace {

class ImageInpaintExperiment : public ImageEbmExperiment {
 public:
  void setup(const Config& cfg, const torch::Device& device) override {
    ImageEbmExperiment::setup(cfg, device);
    n_steps_ = cfg.get<long>("inpaint.n_steps");
    const std::int64_t n = cfg.get<long>("inpaint.n_images");
    const ImageSet test = data_->load_split(cfg.get<std::string>("inpaint.split"));
    if (n <= 0 || n > test.images.size(0)) throw UserError(fmt::format("inpaint.n_images must be in 1..{}", test.images.size(0)));
    truth_ = to_unit_range(test.images.narrow(0, 0, n)).to(device);
    // The mask is fixed for the whole run (its own seed), so every evaluation scores the same holes.
    at::Generator gen = make_generator(torch::kCPU, cfg.get<std::uint64_t>("inpaint.seed"));
    mask_ = make_mask(cfg.get<std::string>("inpaint.mask"), cfg.get<double>("inpaint.fraction"), n, truth_.size(2),
                      truth_.size(3), gen).to(device);
  }

 protected:
  void extra_eval(RunContext& ctx, std::int64_t iteration, std::map<std::string, double>& metrics) override {
    EvalStreams streams = ctx.gens.evaluation(iteration, "inpaint");
    const torch::Tensor z0 = run_.init->draw(truth_.size(0), data_->sample_shape(), streams.starts, device_);
    const torch::Tensor completed =
        to_unit_range(to_uint8(inpaint(*run_.sampler->fork(), run_.model, truth_, mask_, z0, n_steps_, streams.chains)));
    const double mse = masked_mse(completed, truth_, mask_);
    metrics["inpaint_mse"] = mse;
    metrics["inpaint_psnr"] = psnr_from_mse(mse);
    const torch::Tensor masked = truth_ * mask_;  // holes shown mid-grey (0 in [-1, 1])
    const std::int64_t cols = std::min<std::int64_t>(truth_.size(0), 16);
    const torch::Tensor rows = torch::cat({masked.narrow(0, 0, cols), completed.narrow(0, 0, cols), truth_.narrow(0, 0, cols)});
    save_image_grid(ctx.dir.samples_dir() / fmt::format("inpaint_{:07d}.png", iteration), rows, cols);
  }

 private:
  std::int64_t n_steps_ = 0;
  torch::Tensor truth_, mask_;
};

}  // namespace

std::unique_ptr<Experiment> make_image_inpaint_experiment() { return std::make_unique<ImageInpaintExperiment>(); }

}  // namespace stanley
