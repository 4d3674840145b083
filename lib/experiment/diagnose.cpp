#include "experiment/diagnose.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>

#include "data/dataset.h"
#include "io/config.h"
#include "io/h5_file.h"
#include "io/run_dir.h"
#include "io/text_distance.h"
#include "metrics/chain_diagnostics.h"
#include "metrics/coupling.h"
#include "metrics/sample_quality.h"
#include "models/energy.h"
#include "samplers/chain_init.h"
#include "samplers/dual_averaging.h"
#include "samplers/sampler.h"
#include "training/checkpoint.h"
#include "training/generators.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

constexpr std::int64_t kAcfLags = 200;
constexpr int kRhatPoints = 20;

// The sampler's own YAML with the run's step size, noise and th where it has those keys, so every
// sampler runs at the settings the model was trained with and on the same target exp(f/ε²); then what
// the sampler's registry entry changes for a long chain (STANLEY: γ from the current state).
YAML::Node matched_sampler_config(const fs::path& config_dir, const std::string& name, const Config& run) {
  const fs::path file = config_dir / "sampler" / (name + ".yaml");
  if (!fs::exists(file)) {
    std::vector<std::string> known;
    for (const auto& e : fs::directory_iterator(config_dir / "sampler")) known.push_back(e.path().stem().string());
    throw UserError(fmt::format("no sampler config {}; closest: {}", file.string(), join(closest_names(name, known))));
  }
  YAML::Node node = YAML::LoadFile(file.string());
  for (const char* key : {"step_size", "noise", "th"}) {
    if (node[key] && run.has(std::string("sampler.") + key)) node[key] = run.get<double>(std::string("sampler.") + key);
  }
  // Long chains adapt with dual averaging below (option `adapt`), not across calls.
  if (node["adapt_step"]) node["adapt_step"] = false;
  const YAML::Node overrides = YAML::Load(sampler_registry().get(name).factory.long_chain_overrides);
  for (const auto& kv : overrides) node[kv.first.as<std::string>()] = kv.second;
  return node;
}

// per_step[t][c] over the first `end` steps -> draws[c][t] over their second half (the first half is
// warm-up, as Stan).
Draws second_half(const std::vector<std::vector<double>>& per_step, std::size_t end) {
  const std::size_t chains = per_step.empty() ? 0 : per_step[0].size();
  const std::size_t start = end / 2;
  Draws d(chains, std::vector<double>(end - start));
  for (std::size_t t = start; t < end; ++t)
    for (std::size_t c = 0; c < chains; ++c) d[c][t - start] = per_step[t][c];
  return d;
}

}  // namespace

DiagnoseOptions parse_diagnose_args(const fs::path& run_dir, const std::vector<std::string>& args) {
  DiagnoseOptions o;
  o.run_dir = run_dir;
  const std::vector<std::string> keys{"checkpoint", "samplers", "chains", "steps", "pairs", "lag", "superchain", "seed", "adapt", "target_accept"};
  for (const auto& a : args) {
    const auto eq = a.find('=');
    if (eq == std::string::npos) throw UserError(fmt::format("diagnose: '{}' is not key=value", a));
    const std::string key = a.substr(0, eq);
    YAML::Node v;
    try {
      v = YAML::Load(a.substr(eq + 1));
    } catch (const YAML::Exception& e) {
      throw UserError(fmt::format("diagnose: value of '{}' is not valid YAML", key));
    }
    try {
      if (key == "checkpoint") o.checkpoint = v.as<std::int64_t>();
      else if (key == "samplers") o.samplers = v.IsSequence() ? v.as<std::vector<std::string>>() : std::vector<std::string>{v.as<std::string>()};
      else if (key == "chains") o.chains = v.as<std::int64_t>();
      else if (key == "steps") o.steps = v.as<std::int64_t>();
      else if (key == "pairs") o.pairs = v.as<std::int64_t>();
      else if (key == "lag") o.lag = v.as<std::int64_t>();
      else if (key == "superchain") o.superchain = v.as<std::int64_t>();
      else if (key == "seed") o.seed = v.as<std::uint64_t>();
      else if (key == "adapt") o.adapt = v.as<bool>();
      else if (key == "target_accept") o.target_accept = v.as<double>();
      else throw UserError(fmt::format("diagnose: unknown option '{}'; closest: {}", key, join(closest_names(key, keys))));
    } catch (const YAML::Exception&) {
      throw UserError(fmt::format("diagnose: '{}' has a value of the wrong type", a));
    }
  }
  if (o.steps < 20 || o.chains < 2) throw UserError("diagnose: needs steps >= 20 and chains >= 2");
  if (o.chains % o.superchain != 0) throw UserError("diagnose: chains must be a multiple of superchain");
  return o;
}

fs::path run_diagnose(const DiagnoseOptions& o) {
  RunDir dir = RunDir::open(o.run_dir);
  const Config cfg(YAML::LoadFile(dir.config_file().string()));
  torch::set_num_threads(cfg.get<int>("threads"));
  const torch::Device device(cfg.get<std::string>("device"));
  DatasetPtr data = make_dataset(cfg.sub("data"));
  const auto shape = data->sample_shape();
  EnergyPtr model = make_energy(cfg.sub("model"), shape);
  model->to(device);
  const fs::path ckpt = o.checkpoint ? checkpoint_path(dir.checkpoints_dir(), *o.checkpoint)
                                     : latest_checkpoint(dir.checkpoints_dir()).value_or(fs::path());
  if (ckpt.empty()) throw UserError(fmt::format("{} has no checkpoints", dir.checkpoints_dir().string()));
  const std::int64_t iteration = load_checkpoint(ckpt, *model, nullptr, nullptr, device);
  model->eval();
  const ChainInit init(cfg.sub("train.init"));

  // Build every sampler first: a bad name fails before anything is written.
  std::vector<std::pair<std::string, YAML::Node>> sampler_cfgs;
  for (const auto& name : o.samplers) sampler_cfgs.emplace_back(name, matched_sampler_config(o.config_dir, name, cfg));
  for (const auto& [name, node] : sampler_cfgs) make_sampler(Config(node, "sampler"));

  const fs::path out_path = dir.path() / "diagnostics.h5";
  H5File h5(out_path, H5File::Mode::kCreate);
  h5.set_attr("run_config", cfg.to_yaml());
  h5.set_attr("checkpoint", static_cast<std::int64_t>(iteration));
  h5.set_attr("chains", o.chains);
  h5.set_attr("steps", o.steps);
  h5.set_attr("samplers", join(o.samplers));
  fmt::print("diagnose {} at iteration {}: {} chains x {} steps, {} coupled pairs (lag {})\n", dir.path().string(),
             iteration, o.chains, o.steps, o.pairs, o.lag);
  fmt::print("{:<11} {:>7} {:>9} {:>9} {:>7} {:>9} {:>9} {:>22} {:>6} {:>9}\n", "sampler", "accept", "ess_bulk",
             "ess_tail", "rhat", "nest_rhat", "ess/grad", "rho [95% CI]", "unmet", "ksd");

  for (const auto& [name, node] : sampler_cfgs) {
    const Config scfg(node, "sampler");
    SamplerPtr sampler = make_sampler(scfg);
    at::Generator gen = make_generator(device, derive_seed(o.seed, "diagnose/" + name));
    at::Generator gen_data = make_generator(torch::kCPU, derive_seed(o.seed, "diagnose/data"));
    const std::string base = "/diagnostics/" + name;

    // Long chains, recording f(z) of every chain at every step.
    std::vector<std::vector<double>> f_steps;
    ChainTrace trace;
    trace.observe = [&](const torch::Tensor& z) {
      torch::NoGradGuard no_grad;
      torch::Tensor f = model->forward(z).to(torch::kCPU, torch::kFloat64).contiguous();
      f_steps.emplace_back(f.data_ptr<double>(), f.data_ptr<double>() + f.numel());
    };
    torch::Tensor z0 = init.draw(o.chains, shape, gen, device);
    if (o.adapt && sampler->adaptable()) {
      // Warm-up of `steps` transitions adapting the step to the target acceptance (the option, else the
      // sampler's own target_accept), then fixed.
      const double target = o.target_accept ? *o.target_accept
                                            : (scfg.has("target_accept") ? scfg.get<double>("target_accept") : 0.8);
      DualAveraging adapt(sampler->step_size(), target);
      for (std::int64_t t = 0; t < o.steps; ++t) {
        z0 = sampler->sample(*model, z0, 1, gen, nullptr);
        sampler->set_step_size(adapt.update(sampler->last_accept_rate().item<double>()));
      }
      sampler->set_step_size(adapt.final_step());
    }
    h5.append_value(base + "/step_size", sampler->step_size());
    const torch::Tensor z_final = sampler->sample(*model, z0, o.steps, gen, &trace);
    // Sample quality of the final states: KSD from the model's own score, MMD and energy distance to data.
    // KSD against the declared target π_T: score ∇f/T (NaN for gd, whose T = 0).
    const double temperature = sampler->temperature();
    const torch::Tensor data_batch = data->batch(o.chains, gen_data, device);
    const double ksd = temperature > 0 ? ksd_imq(z_final, energy_and_grad(*model, z_final).grad / temperature) : NAN;
    h5.append_value(base + "/temperature", temperature);
    h5.append_value(base + "/ksd_imq", ksd);
    h5.append_value(base + "/mmd_rbf_data", mmd_rbf(z_final, data_batch));
    h5.append_value(base + "/energy_distance_data", energy_distance(z_final, data_batch));

    const Draws f_draws = second_half(f_steps, f_steps.size());
    const double bulk = ess_bulk(f_draws), tail = ess_tail(f_draws), rhat = rhat_rank(f_draws);
    const double nested = rhat_nested(f_draws, static_cast<int>(o.superchain));
    const double grads = static_cast<double>(o.chains) * static_cast<double>(f_draws[0].size()) * sampler->gradients_per_step();
    const double per_grad = bulk / grads;
    for (const auto& [stat, values] : trace.per_step) h5.append_row(base + "/trace/" + stat, values);
    h5.append_value(base + "/ess_bulk", bulk);
    h5.append_value(base + "/ess_tail", tail);
    h5.append_value(base + "/rhat", rhat);
    h5.append_value(base + "/rhat_nested", nested);
    h5.append_value(base + "/ess_per_grad", per_grad);
    h5.append_value(base + "/gradients_per_step", sampler->gradients_per_step());

    // R̂ of f over growing windows (second half of the first k steps), and the mean ACF of f.
    for (int i = 1; i <= kRhatPoints; ++i) {
      const std::size_t end = std::max<std::size_t>(8, f_steps.size() * i / kRhatPoints);
      h5.append_int(base + "/rhat_curve/step", static_cast<std::int64_t>(end));
      h5.append_value(base + "/rhat_curve/rhat", rhat_rank(second_half(f_steps, end)));
    }
    std::vector<double> acf(std::min<std::size_t>(kAcfLags, f_draws[0].size()), 0.0);
    for (const auto& chain : f_draws) {
      const auto a = autocorrelation(chain);
      for (std::size_t k = 0; k < acf.size(); ++k) acf[k] += a[k] / f_draws.size();
    }
    h5.append_row(base + "/acf", acf);

    double accept = NAN;
    if (trace.per_step.count("accept_rate")) {
      const auto& a = trace.per_step.at("accept_rate");
      accept = 0;
      for (double v : a) accept += v / a.size();
    }
    h5.append_value(base + "/accept_rate", accept);

    // Convergence rate by L-lag coupling, for Gaussian-proposal kernels.
    RateFit rate;
    std::int64_t unmet = -1;
    if (sampler->couplable()) {
      CouplingOptions co;
      co.pairs = o.pairs;
      co.lag = o.lag;
      co.max_steps = o.steps;
      co.horizon = o.steps;  // the bound over the whole run: slow kernels meet late
      torch::Tensor x0 = init.draw(o.pairs, shape, gen, device), y0 = init.draw(o.pairs, shape, gen, device);
      const CouplingResult r = llag_coupling(*model, *sampler, x0, y0, co, gen);
      rate = r.rate;
      unmet = r.unmet;
      h5.append_row(base + "/tv_bound", r.tv_bound);
      std::vector<double> tau(r.meeting_times.begin(), r.meeting_times.end());
      h5.append_row(base + "/meeting_times", tau);
      h5.append_value(base + "/rho", rate.rho);
      h5.append_value(base + "/rho_lo", rate.lo);
      h5.append_value(base + "/rho_hi", rate.hi);
      h5.append_value(base + "/unmet", static_cast<double>(unmet));
    }
    h5.flush();
    const std::string rho_text = std::isnan(rate.rho) ? "n/a" : fmt::format("{:.4f} [{:.4f}, {:.4f}]", rate.rho, rate.lo, rate.hi);
    fmt::print("{:<11} {:>7.3f} {:>9.1f} {:>9.1f} {:>7.3f} {:>9.3f} {:>9.5f} {:>22} {:>6} {:>9.4f}\n", name, accept, bulk,
               tail, rhat, nested, per_grad, rho_text, unmet < 0 ? std::string("-") : std::to_string(unmet), ksd);
    std::fflush(stdout);
  }
  return out_path;
}

}  // namespace stanley
