// Every dataset, registered by name. A new dataset: one file plus one line here.
#include "data/dataset.h"
#include "data/rings.h"

namespace stanley {

Registry<DatasetFactory>& dataset_registry() {
  static Registry<DatasetFactory> table = [] {
    Registry<DatasetFactory> r("dataset");
    r.add("rings", "4 concentric rings, radial noise (Nijkamp et al. 2020 toy)", make_rings);
    return r;
  }();
  return table;
}

DatasetPtr make_dataset(const Config& data_cfg) {
  return dataset_registry().get(data_cfg.get<std::string>("name")).factory(data_cfg);
}

}  // namespace stanley
