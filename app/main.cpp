// `stanley`: the command-line front door over the experiment registry.
#include <fmt/format.h>
#include <torch/torch.h>
#include <H5Cpp.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "config/compose.h"
#include "config/config.h"
#include "config/errors.h"
#include "config/key_declarations.h"
#include "config/key_table.h"
#include "config/yaml_tree.h"
#include "data/dataset.h"
#include "diagnose/diagnose.h"
#include "experiments/registry.h"
#include "launch/study.h"
#include "launch/sweep.h"
#include "models/energy.h"
#include "run/experiment.h"
#include "run/runner.h"
#include "run/stats.h"
#include "runtime/blas_kernels.h"
#include "runtime/numerics_mode.h"
#include "store/run_status.h"
#include "runtime/host_allocator.h"
#include "runtime/stop_signal.h"
#include "samplers/sampler_registry.h"
#include "store/atomic_file.h"
#include "store/run_dir.h"

namespace fs = std::filesystem;
using namespace stanley;

namespace {

constexpr const char* kUsage = R"(usage: stanley <command> [args]

commands:
  run [OVERRIDES...] [--cfg job]   compose configs/ with Hydra-style overrides and run
                                   (group=option, a.b=v, +a.b=v, ++a.b=v, ~a.b); --cfg job
                                   prints the resolved config and exits
  resume RUN_DIR [--from-scratch]  continue a run from its latest readable checkpoint (never a finished
                                   run; without a readable checkpoint only with --from-scratch)
  rerun RUN_DIR [OVERRIDES...]     a new run with RUN_DIR's saved overrides (plus any given)
  list                             registered experiments, samplers, models, datasets and every
                                   config key (type, range, value, meaning)
  list keys [OVERRIDES] [--markdown | --groups]
                                   the declared keys (configs/keys.yaml) beside the values of that
                                   composition; --markdown: docs/keys.md's tables; --groups: README's
  list samplers --markdown         the sampler table of README.md and docs/samplers.md
  list statuses --python           analysis/run_status.py: the run status words, for the scripts
  numerics portable                the variables the portable numerics mode pins on this CPU (NAME=VALUE lines),
                                   for scripts that run other programs in the same kernels
  run -m OVERRIDES... [--dry-run] [--wait]
                                   multirun: a,b,c  range(a,b[,step])  zip(a,b) (element-wise);
                                   launcher=local jobs=N | launcher=slurm launcher.partition=P ...;
                                   run.dir=DIR is the sweep's directory (run again: continues)
  study NAME [--dry-run] [seeds=0,1,2] [jobs=N] [dir=D]
                                   a study (configs/study/NAME.yaml): sweeps, selection rules and
                                   reports in order; run it again to finish what was left
  sweep status DIR | sweep resume DIR [jobs=N] | sweep task DIR ID
                                   a sweep's jobs and states; continue it; one SLURM array task
  diagnose RUN_DIR [checkpoint=ITER] [samplers=[langevin,stanley]] [chains=64] [steps=2000]
           [pairs=256] [lag=1] [superchain=8] [seed=0] [adapt=false] [target_accept=<sampler's own>]
           (defaults: configs/diagnose/default.yaml)
                                   long-chain ESS, R-hat, ESS per gradient and coupling TV/rho
                                   of samplers on the run's frozen model -> RUN_DIR/diagnostics.h5
  stats data=NAME [OVERRIDES...]   reference statistics of real images for FID/KID, per
                                   (dataset, split, extractor), cached under data.cache_dir
                                   (e.g. stats data=fmnist; stats data=cifar10 features.inception.path=F)

options:
  --config-dir DIR                 config tree (default: $STANLEY_CONFIG_DIR or the source tree's configs/)

exit codes: 0 ok, 1 internal error, 2 bad input, 3 divergence, 4 environment (disk full,
            unwritable), 130/143 interrupted by SIGINT/SIGTERM (checkpoint written)
)";

fs::path default_config_dir() {
  if (const char* env = std::getenv("STANLEY_CONFIG_DIR")) return env;
  return fs::path(STANLEY_SOURCE_DIR) / "configs";
}

template <class R>
void print_table(const char* title, const R& registry) {
  fmt::print("{}:\n", title);
  for (const auto& [name, entry] : registry.entries()) fmt::print("  {:<16} {}\n", name, entry.description);
}

// Values as the docs show them: the source tree's own path spelled as the variable configs use for it.
std::string portable(std::string text) {
  const std::string source = STANLEY_SOURCE_DIR;
  for (std::size_t at; (at = text.find(source)) != std::string::npos;) text.replace(at, source.size(), "${STANLEY_SOURCE_DIR}");
  return text;
}

// analysis/run_status.py, from the one list of status words (store/run_status.h).
std::string run_status_python() {
  std::string out =
      "\"\"\"A run's outcome as metrics.h5's `status` attribute says it. Generated by `make key-table` from\n"
      "lib/store/run_status.h (`stanley list statuses --python`); CTest key_table checks it is current.\"\"\"\n\n";
  for (const auto& [word, meaning] : run_status::kAll) {
    std::string name(word);
    for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    out += fmt::format("{} = \"{}\"  # {}\n", name, word, meaning);
  }
  out +=
      "\n\ndef is_status(status, word):\n"
      "    \"\"\"Whether `status` is `word`, alone or with its reason ('diverged: iteration 12: ...').\"\"\"\n"
      "    return status == word or status.startswith(word + \":\")\n";
  return out;
}

int list_command(const fs::path& config_dir, const std::vector<std::string>& args) {
  if (args == std::vector<std::string>{"statuses", "--python"}) {
    fmt::print("{}", run_status_python());
    return 0;
  }
  if (args == std::vector<std::string>{"samplers", "--markdown"}) {
    fmt::print("{}", sampler_markdown(config_dir.string()));
    return 0;
  }
  const bool keys_only = !args.empty() && args[0] == "keys";
  if (!args.empty() && !keys_only)
    throw UserError(fmt::format("list takes nothing, `keys`, `samplers --markdown` or `statuses --python` (got '{}')", args[0]));
  const auto keys = KeyDeclarations::load(config_dir);
  if (!keys) throw UserError(fmt::format("no key declarations in {}", (config_dir / "keys.yaml").string()));
  std::string format;
  std::vector<std::string> overrides;
  for (std::size_t i = keys_only ? 1 : 0; i < args.size(); ++i) {
    if (args[i] == "--markdown" || args[i] == "--groups") format = args[i];
    else if (args[i].rfind("--", 0) == 0) throw UserError(fmt::format("unknown option '{}' for list keys", args[i]));
    else overrides.push_back(args[i]);
  }
  if (format == "--groups") {
    fmt::print("{}", key_group_summary(*keys));
    return 0;
  }
  if (format == "--markdown") {
    // The two compositions a new user meets first: the demo's rings and the CPU image benchmark.
    std::vector<KeyColumn> columns;
    for (const char* experiment : {"rings", "fmnist"}) {
      auto o = overrides;
      o.insert(o.begin(), {fmt::format("experiment={}", experiment), "scale=small"});
      columns.emplace_back(fmt::format("{} small", experiment), compose_config(config_dir, o).root);
    }
    fmt::print("{}", portable(key_markdown(*keys, columns)));
    return 0;
  }
  if (!keys_only) {
    print_table("experiments", experiment_registry());
    print_table("samplers", sampler_registry());
    print_table("models", energy_registry());
    print_table("datasets", dataset_registry());
  }
  const ComposedConfig composed = compose_config(config_dir, overrides);
  std::string label;
  for (const auto& [group, option] : composed.choices) label += fmt::format("{}{}={}", label.empty() ? "" : " ", group, option);
  fmt::print("{}", key_listing(*keys, {label, composed.root}));
  return 0;
}

int run_command(const std::vector<std::string>& args) {
  fs::path config_dir = default_config_dir();
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config-dir") {
      if (i + 1 >= args.size()) throw UserError("--config-dir needs a directory");
      config_dir = args[++i];
    } else {
      rest.push_back(args[i]);
    }
  }
  if (rest.empty() || rest[0] == "-h" || rest[0] == "--help" || rest[0] == "help") {
    fmt::print("{}", kUsage);
    return rest.empty() ? 2 : 0;
  }
  const std::string command = rest[0];
  std::vector<std::string> tail(rest.begin() + 1, rest.end());
  // Every Config built from here on checks itself against this tree's declarations (configs/keys.yaml). A
  // tree without them would run unchecked, and the components no longer restate the bounds: refused.
  if (fs::exists(config_dir / "config.yaml") && !fs::exists(config_dir / "keys.yaml"))
    throw UserError(fmt::format("{}: missing; every config key is declared there (copy configs/keys.yaml of the source tree)",
                                (config_dir / "keys.yaml").string()));
  KeyDeclarations::install(KeyDeclarations::load(config_dir));

  if (command == "list") return list_command(config_dir, tail);
  if (command == "numerics") {
    if (tail != std::vector<std::string>{"portable"}) throw UserError("numerics takes `portable`");
    for (const auto& [name, value] : portable_pins()) fmt::print("{}={}\n", name, value);
    return 0;
  }
  if (command == "run" && !tail.empty() && (tail[0] == "-m" || tail[0] == "--multirun")) {
    return run_sweep(config_dir, std::vector<std::string>(tail.begin() + 1, tail.end()));
  }
  if (command == "sweep") return sweep_command(config_dir, tail);
  if (command == "study") return run_study(config_dir, STANLEY_SOURCE_DIR, tail);
  if (command == "run" || command == "rerun") {
    std::vector<std::string> overrides;
    if (command == "rerun") {
      if (tail.empty()) throw UserError("rerun needs a run directory");
      overrides = RunDir::open(tail[0]).read_overrides();
      tail.erase(tail.begin());
    }
    bool print_only = false;
    for (std::size_t i = 0; i < tail.size(); ++i) {
      if (tail[i] == "--cfg") {
        if (i + 1 >= tail.size() || tail[i + 1] != "job") throw UserError("--cfg takes `job`");
        print_only = true;
        ++i;
      } else if (tail[i].rfind("--", 0) == 0) {
        throw UserError(fmt::format("unknown option '{}' (see stanley --help)", tail[i]));
      } else {
        overrides.push_back(tail[i]);
      }
    }
    const ComposedConfig composed = compose_config(config_dir, overrides);
    if (print_only) {
      fmt::print("{}", emit_yaml(composed.root));
      return 0;
    }
    install_stop_handlers();
    const fs::path dir = start_run(composed, experiment_registry());
    fmt::print("{}\n", dir.string());
    return 0;
  }
  if (command == "resume") {
    install_stop_handlers();
    ResumeOptions options;
    std::vector<std::string> dirs;
    for (const auto& a : tail) {
      if (a == "--from-scratch") options.from_scratch = true;
      else if (a.rfind("--", 0) == 0) throw UserError(fmt::format("unknown option '{}' for resume (--from-scratch)", a));
      else dirs.push_back(a);
    }
    if (dirs.size() != 1) throw UserError("resume takes exactly one run directory");
    fmt::print("{}\n", resume_run(dirs[0], config_dir, experiment_registry(), options).string());
    return 0;
  }
  if (command == "diagnose") {
    if (tail.empty()) throw UserError("diagnose needs a run directory");
    const DiagnoseOptions o = diagnose_options(config_dir, tail[0], std::vector<std::string>(tail.begin() + 1, tail.end()));
    fmt::print("{}\n", run_diagnose(o).string());
    return 0;
  }
  if (command == "stats") {
    run_stats(config_dir, tail, experiment_registry());
    return 0;
  }
  throw UserError(fmt::format("unknown command '{}'; commands: run, resume, rerun, sweep, study, list, diagnose, stats", command));
}

}  // namespace

// After a write failed for lack of space, HDF5 1.10's library teardown at exit segfaults closing the
// file whose flush failed (H5F__close_cb from H5_term_library); everything of ours is already closed
// or flushed, so leave without running the exit handlers.
int exit_without_hdf5_teardown(int code) {
  std::fflush(nullptr);
  std::_Exit(code);
}

// An error of torch, HDF5 or the standard library: a full disk (errno or the library's text) is the
// environment's fault (exit 4), anything else is ours (exit 1).
int report_failure(const std::string& kind, const std::string& detail) {
  if (is_out_of_space(errno, detail)) {
    fmt::print(stderr, "stanley: environment: disk full ({})\n", detail);
    return exit_without_hdf5_teardown(4);
  }
  fmt::print(stderr, "stanley: {}: {}\n", kind, detail);
  return 1;
}

int main(int argc, char** argv) {
  // Configs name files shipped with the source (the frozen fid_fmnist network) as ${oc.env:STANLEY_SOURCE_DIR}/...
  setenv("STANLEY_SOURCE_DIR", STANLEY_SOURCE_DIR, /*overwrite=*/0);
  enter_numerics_mode(argv);
  keep_freed_memory();
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return run_command(args);
  } catch (const UserError& e) {
    fmt::print(stderr, "stanley: error: {}\n", e.what());
    return 2;
  } catch (const DivergenceError& e) {
    fmt::print(stderr, "stanley: diverged: {}\n", e.what());
    return 3;
  } catch (const InterruptedError& e) {
    fmt::print(stderr, "\nstanley: {}\n", e.what());
    return 128 + e.signal();
  } catch (const EnvironmentError& e) {
    fmt::print(stderr, "stanley: environment: {}\n", e.what());
    return exit_without_hdf5_teardown(4);
  } catch (const c10::Error& e) {
    return report_failure("torch error", e.what_without_backtrace());
  } catch (const H5::Exception& e) {
    return report_failure("HDF5 error", fmt::format("{} ({})", e.getDetailMsg(), e.getFuncName()));
  } catch (const std::exception& e) {
    return report_failure("internal error", e.what());
  }
}
