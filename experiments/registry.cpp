// The experiment registry's table. A new experiment: one file in experiments/, one line here, and
// its YAML in configs/experiment/.
#include "experiments/registry.h"

#include "experiments/image_ebm.h"
#include "experiments/image_inpaint.h"
#include "experiments/rings.h"

namespace stanley {

const ExperimentRegistry& experiment_registry() {
  static const ExperimentRegistry table = [] {
    ExperimentRegistry r("experiment");
    r.add("rings", "2-D rings toy, exact density KL/TV on a grid (paper Fig. 1)", make_rings_experiment);
    r.add("fmnist", "Fashion-MNIST 28 px, fid_fmnist from the suite's own feature net (CPU scale)", make_image_ebm_experiment);
    r.add("cifar10", "CIFAR-10 32 px, FID curves (paper Fig. 4)", make_image_ebm_experiment);
    r.add("flowers", "Oxford Flowers 102, FID curves (paper Fig. 4)", make_image_ebm_experiment);
    r.add("celeba", "CelebA 64 px, FID (paper Fig. 5)", make_image_ebm_experiment);
    r.add("celeba_inpaint", "CelebA inpainting: masked / completed / truth, MSE and PSNR (paper Fig. 6)", make_image_inpaint_experiment);
    r.add("fmnist_inpaint", "Fashion-MNIST inpainting on CPU (Fig. 6's protocol)", make_image_inpaint_experiment);
    return r;
  }();
  return table;
}

}  // namespace stanley
