#include "diagnose/diagnose_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdio>

namespace stanley {

DiagnoseReport::DiagnoseReport(const std::filesystem::path& path, const std::string& run_config_yaml,
                               std::int64_t iteration, const DiagnoseOptions& o)
    : path_(path), h5_(path, H5File::Mode::kCreate) {
  h5_.set_attr("run_config", run_config_yaml);
  h5_.set_attr("checkpoint", iteration);
  h5_.set_attr("chains", o.chains);
  h5_.set_attr("steps", o.steps);
  h5_.set_attr("samplers", fmt::format("{}", fmt::join(o.samplers, ", ")));
  fmt::print("diagnose {} at iteration {}: {} chains x {} steps, {} coupled pairs (lag {})\n", o.run_dir.string(),
             iteration, o.chains, o.steps, o.pairs, o.lag);
  fmt::print("{:<11} {:>7} {:>9} {:>9} {:>7} {:>9} {:>9} {:>22} {:>6} {:>9}\n", "sampler", "accept", "ess_bulk",
             "ess_tail", "rhat", "nest_rhat", "ess/grad", "rho [95% CI]", "unmet", "ksd");
}

void DiagnoseReport::add(const std::string& name, const ChainStudy& s, const std::optional<CouplingResult>& coupling) {
  const std::string base = "/diagnostics/" + name;
  h5_.append_value(base + "/step_size", s.step_size);
  h5_.append_value(base + "/temperature", s.temperature);
  h5_.append_value(base + "/ksd_imq", s.ksd_imq);
  h5_.append_value(base + "/mmd_rbf_data", s.mmd_rbf_data);
  h5_.append_value(base + "/energy_distance_data", s.energy_distance_data);
  for (const auto& [stat, values] : s.trace) h5_.append_row(base + "/trace/" + stat, values);
  h5_.append_value(base + "/ess_bulk", s.ess_bulk);
  h5_.append_value(base + "/ess_tail", s.ess_tail);
  h5_.append_value(base + "/rhat", s.rhat);
  h5_.append_value(base + "/rhat_nested", s.rhat_nested);
  h5_.append_value(base + "/ess_per_grad", s.ess_per_grad);
  h5_.append_value(base + "/gradients_per_step", s.gradients_per_step);
  for (std::size_t i = 0; i < s.rhat_curve.size(); ++i) {
    h5_.append_int(base + "/rhat_curve/step", s.rhat_curve_steps[i]);
    h5_.append_value(base + "/rhat_curve/rhat", s.rhat_curve[i]);
  }
  h5_.append_row(base + "/acf", s.acf);
  h5_.append_value(base + "/accept_rate", s.accept_rate);

  std::string rho_text = "n/a", unmet_text = "-";
  if (coupling) {
    const CouplingResult& r = *coupling;
    h5_.append_row(base + "/tv_bound", r.tv_bound);
    h5_.append_row(base + "/meeting_times", std::vector<double>(r.meeting_times.begin(), r.meeting_times.end()));
    h5_.append_value(base + "/rho", r.rate.rho);
    h5_.append_value(base + "/rho_lo", r.rate.lo);
    h5_.append_value(base + "/rho_hi", r.rate.hi);
    h5_.append_value(base + "/unmet", static_cast<double>(r.unmet));
    if (!std::isnan(r.rate.rho)) rho_text = fmt::format("{:.4f} [{:.4f}, {:.4f}]", r.rate.rho, r.rate.lo, r.rate.hi);
    unmet_text = std::to_string(r.unmet);
  }
  h5_.flush();
  fmt::print("{:<11} {:>7.3f} {:>9.1f} {:>9.1f} {:>7.3f} {:>9.3f} {:>9.5f} {:>22} {:>6} {:>9.4f}\n", name, s.accept_rate,
             s.ess_bulk, s.ess_tail, s.rhat, s.rhat_nested, s.ess_per_grad, rho_text, unmet_text, s.ksd_imq);
  std::fflush(stdout);
}

}  // namespace stanley
