// Every dataset, registered by name. A new dataset: one file plus one line here.
#include "data/dataset.h"
#include "data/image_dataset.h"
#include "data/rings.h"

namespace stanley {

Registry<DatasetFactory>& dataset_registry() {
  static Registry<DatasetFactory> table = [] {
    Registry<DatasetFactory> r("dataset");
    r.add("rings", "4 concentric rings, radial noise (Nijkamp et al. 2020 toy)", make_rings);
    r.add("fmnist", "Fashion-MNIST IDX files (Debian dataset-fashion-mnist), 1x28x28", make_idx_dataset);
    r.add("mnist", "MNIST IDX files, gzipped or plain, 1x28x28", make_idx_dataset);
    r.add("cifar10", "CIFAR-10 binary version (data_batch_*.bin), 3x32x32", make_cifar10_dataset);
    r.add("flowers", "Oxford Flowers 102 jpg/ folder, centre crop + resize", make_jpeg_folder_dataset);
    r.add("celeba", "CelebA img_align_celeba/ JPEGs, crop 140 + resize", make_jpeg_folder_dataset);
    return r;
  }();
  return table;
}

DatasetPtr make_dataset(const Config& data_cfg) {
  return dataset_registry().get(data_cfg.get<std::string>("name")).factory(data_cfg);
}

}  // namespace stanley
