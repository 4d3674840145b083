#pragma once
// Every sampler by name, and the one way to build a sampler from a `sampler` config section.

#include <functional>
#include <string>

#include "config/config.h"
#include "config/registry.h"
#include "samplers/sampler.h"

namespace stanley {

// What the registry holds per sampler: how to build its kernel from its config section, and what a
// long-chain measurement (`stanley diagnose`) changes in that config so that the chain is one Markov kernel.
struct SamplerRecipe {
  std::function<KernelPtr(const Config&)> make;
  std::string update;                       // the transition in one line of Markdown (README's sampler table)
  std::string long_chain_overrides = "{}";  // YAML mapping merged into the sampler section
};
Registry<SamplerRecipe>& sampler_registry();

// A `sampler` section as it runs one long chain (`stanley diagnose`, eval.diagnose, the conformance
// tests): a copy, with the registry entry's long_chain_overrides merged in and step adaptation across
// calls off (long chains adapt by dual averaging, if at all). The one place this is built.
YAML::Node long_chain_sampler_config(const YAML::Node& sampler_section);

// The sampler table of README.md and docs/samplers.md (`stanley list samplers --markdown`): per registered
// sampler its update and whether it is exact for π_T, read from the kernel built from
// `config_dir`/sampler/NAME.yaml.
std::string sampler_markdown(const std::string& config_dir);

// The driver over the kernel named by `name` in the `sampler` config section; with `adapt_step: true` it
// adapts the step (target_accept, adapt_rate), with `cuda_graph: true` it replays captured graphs.
SamplerPtr make_sampler(const Config& sampler_cfg);

}  // namespace stanley
