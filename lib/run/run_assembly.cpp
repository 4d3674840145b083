#include "run/run_assembly.h"

#include "models/sampling_precision.h"
#include "samplers/cuda_graph_replay.h"
#include "samplers/sampler_registry.h"

namespace stanley {

RunAssembly assemble_run(const Config& cfg, const torch::Device& device, const AssemblyOptions& options) {
  RunAssembly run;
  run.data = make_dataset(cfg.sub("data"));
  if (options.check_data) options.check_data(run.data);
  // Without reduced precision, precision=auto resolves as on a CPU: fp32.
  const auto precision_device = options.reduced_precision ? device : torch::Device(torch::kCPU);
  run.model = make_energy(cfg.sub("model"), run.data->sample_shape());
  run.model->to(device);
  check_cuda_graph_setting(cfg.sub("sampler"), device);
  run.sampler = make_sampler(cfg.sub("sampler"));
  const auto precision = SamplingPrecision::from_config(cfg, precision_device, run.sampler->exact());
  if (!options.reduced_precision && !precision.is_default())
    throw UserError("precision and channels_last apply to image experiments (ConvNet energies); this model samples "
                    "through its hand-written gradient in fp32");
  run.settings = TrainSettings::from_config(cfg);
  run.init = std::make_unique<ChainInit>(cfg.sub("train.init"), run.data.get());
  run.trainer = std::make_unique<Trainer>(run.settings, run.model, *run.sampler, *run.data, *run.init, cfg.sub("optim"));
  bool direct = false;
  if (!precision.is_default()) {
    EnergyPtr twin = make_energy(cfg.sub("model"), run.data->sample_shape());
    twin->to(device);
    auto sampling = std::make_shared<SamplingPrecisionEnergy>(run.model, twin, precision);
    direct = sampling->direct();
    run.trainer->set_sampling_model(sampling);
  }
  run.sampling_arithmetic = precision.dtype == torch::kBFloat16 ? "bf16" : "fp32";
  if (direct) run.sampling_arithmetic += " direct";
  if (precision.channels_last) run.sampling_arithmetic += " channels-last";
  return run;
}

}  // namespace stanley
