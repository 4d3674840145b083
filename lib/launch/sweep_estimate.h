#pragma once
// The dry run's time estimate: each job's hours from measured iteration times
// (configs/measured/iteration_ms.yaml), scaled by the sampler's gradient evaluations per iteration and
// the size of an image. Evaluation time is not included. Torch-free.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stanley {

struct MeasuredIteration {
  std::string experiment, model, device, precision, gpu, date;
  double batch = 0, n_steps = 0, values_per_sample = 0, ms = 0;
  bool cuda_graph = false;
};

struct JobEstimate {
  double hours = 0;
  std::string basis;  // what it was scaled from
};

// The measurements recorded beside the configs (empty when the file is absent).
std::vector<MeasuredIteration> load_measured_iterations(const std::filesystem::path& config_dir);
// The estimate for one composed job, from the measurement of the same model on the same device type
// (the same sampler.cuda_graph setting, then the same experiment, preferred); nullopt when none was measured.
std::optional<JobEstimate> estimate_job(const YAML::Node& job, const std::vector<MeasuredIteration>& measured);

}  // namespace stanley
