#include "launch/sweep_estimate.h"

#include <fmt/format.h>

#include "config/config.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

// Values per sample (C·H·W) of a job's data: what a conv net's cost grows with.
double values_per_sample(const Config& c) {
  const auto name = c.get<std::string>("data.name");
  if (name == "rings") return 2;
  if (name == "fmnist" || name == "mnist") return 28 * 28;
  if (name == "cifar10") return 3 * 32 * 32;
  const double side = c.get<double>("data.size", 64.0);
  return 3 * side * side;
}

// Gradient evaluations per chain and iteration.
double gradients_per_iteration(const Config& c) {
  const double k = c.get<double>("sampler.n_steps");
  const auto name = c.get<std::string>("sampler.name");
  if (name == "hmc") return k * c.get<double>("sampler.n_leapfrog", 1.0);
  if (name == "stanley") return k + 1;  // ∇f at the previous samples, once per iteration
  return k;
}

std::string device_type(const std::string& device) { return device.rfind("cuda", 0) == 0 ? "cuda" : device; }

}  // namespace

std::vector<MeasuredIteration> load_measured_iterations(const fs::path& config_dir) {
  const fs::path file = config_dir / "measured" / "iteration_ms.yaml";
  std::vector<MeasuredIteration> out;
  if (!fs::exists(file)) return out;
  for (const auto& n : YAML::LoadFile(file.string())["iterations"]) {
    MeasuredIteration m;
    m.experiment = n["experiment"].as<std::string>();
    m.model = n["model"].as<std::string>();
    m.device = n["device"].as<std::string>();
    m.precision = n["precision"].as<std::string>("fp32");
    m.gpu = n["gpu"].as<std::string>("");
    m.date = n["date"].as<std::string>("");
    m.batch = n["batch"].as<double>();
    m.n_steps = n["n_steps"].as<double>();
    m.values_per_sample = n["values_per_sample"].as<double>();
    m.ms = n["ms"].as<double>();
    m.cuda_graph = n["cuda_graph"].as<bool>(false);
    out.push_back(m);
  }
  return out;
}

std::optional<JobEstimate> estimate_job(const YAML::Node& job, const std::vector<MeasuredIteration>& measured) {
  const Config c(job);
  const std::string experiment = c.get<std::string>("experiment"), model = c.get<std::string>("model.name");
  const std::string device = device_type(c.get<std::string>("device"));
  const bool graph = c.get<bool>("sampler.cuda_graph", false);
  const MeasuredIteration* best = nullptr;
  int best_score = -1;
  for (const auto& m : measured) {
    if (m.model != model || m.device != device) continue;
    const int score = 2 * (m.cuda_graph == graph) + (m.experiment == experiment);
    if (score > best_score) best = &m, best_score = score;
  }
  if (!best) return std::nullopt;
  const double work = c.get<double>("train.batch") * gradients_per_iteration(c) * values_per_sample(c);
  const double work0 = best->batch * best->n_steps * best->values_per_sample;
  JobEstimate e;
  e.hours = best->ms * (work / work0) * c.get<double>("train.iters") / 3.6e6;
  e.basis = fmt::format("{} {}{} {:.4g} ms/it at M={:g} K={:g}{}{}", best->experiment, best->precision,
                        best->cuda_graph ? " graph" : "", best->ms, best->batch,
                        best->n_steps, best->gpu.empty() ? "" : ", " + best->gpu, best->date.empty() ? "" : " " + best->date);
  return e;
}

}  // namespace stanley
