#pragma once
// One way to assemble a training run from its composed config, for every experiment and `stanley
// diagnose`: the dataset, the energy model on the device, the sampler, where chains start, the training
// settings and the trainer (with the model's reduced-precision sampling twin where precision asks for
// one). An experiment adds only what it evaluates. Building writes nothing (Experiment::setup's rule).

#include <torch/torch.h>

#include <functional>
#include <memory>

#include "config/config.h"
#include "data/dataset.h"
#include "models/energy.h"
#include "samplers/sampler.h"
#include "training/chain_init.h"
#include "training/trainer.h"

namespace stanley {

struct RunAssembly {
  DatasetPtr data;
  EnergyPtr model;
  SamplerPtr sampler;
  TrainSettings settings;
  std::unique_ptr<ChainInit> init;  // what evaluation draws fresh starts from (the trainer holds its own copy)
  std::unique_ptr<Trainer> trainer;
  // What the sampler's energy computes in, as metrics.h5 records it: "fp32", "bf16" or "bf16 direct"
  // (oneDNN called directly), with " channels-last" where set.
  std::string sampling_arithmetic;
};

struct AssemblyOptions {
  // False for energies that sample in fp32 whatever the device (the rings MLP's hand-written gradient):
  // `precision` other than fp32 is then refused, and auto means fp32.
  bool reduced_precision = true;
  // Called with the dataset before anything else is built: an experiment refuses data it cannot use.
  std::function<void(const DatasetPtr&)> check_data;
};

RunAssembly assemble_run(const Config& cfg, const torch::Device& device, const AssemblyOptions& options = {});

}  // namespace stanley
