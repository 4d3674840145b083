#pragma once
// The options of `stanley diagnose`, from configs/diagnose/default.yaml with the command line's
// overrides applied by the same parser as `stanley run`.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stanley {

struct DiagnoseOptions {
  std::filesystem::path run_dir;
  std::filesystem::path config_dir;            // for configs/sampler/<name>.yaml
  std::optional<std::int64_t> checkpoint;      // iteration; latest when unset
  std::vector<std::string> samplers;
  std::int64_t chains = 0;
  std::int64_t steps = 0;
  std::int64_t pairs = 0;                      // coupled pairs
  std::int64_t lag = 0;                        // L of the L-lag coupling
  std::int64_t superchain = 0;                 // chains per superchain for nested R̂
  std::uint64_t seed = 0;
  bool adapt = false;                          // dual-average the step of MH samplers (warm-up of `steps`)
  std::optional<double> target_accept;         // unset: each sampler's own target_accept, else Stan's 0.8
};

// `args` are overrides of the diagnose group (`chains=32`, `diagnose.samplers=[mala,hmc]`); an unknown
// key names the closest ones, a value out of range names its limit.
DiagnoseOptions diagnose_options(const std::filesystem::path& config_dir, const std::filesystem::path& run_dir,
                                 const std::vector<std::string>& args);

}  // namespace stanley
