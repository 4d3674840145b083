#pragma once
// A study as data: configs/study/NAME.yaml lists its steps, run in order by `stanley study NAME`:
//   - sweep: [overrides...]          a multirun (launch/sweep.h) into DIR/<dir>; resumable, local or SLURM
//     dir: main
//   - pick: [script, args...]        a Python selection rule (analysis/pick_*.py); its printed overrides
//     name: best                     become ${picked.best} in later steps (one list element, split as a shell would)
//   - report: [script, args...]      a Python report or figure (analysis/*.py)
// Values may name ${seeds}, ${jobs}, ${dir} (the study's directory, default results/study/NAME), ${python},
// ${picked.NAME} and the study's own params; `stanley study NAME seeds=0,1 jobs=2 dir=D` sets them, and
// launcher=slurm launcher.KEY=V go to every sweep. A study's `params:` block declares its own settings:
//   params:
//     cifar10: {default: data/cifar10, exists: "CIFAR-10 (cifar-10-batches-bin/)"}   a path that must exist
//     inception: {default: null, meaning: "the Inception-v3 TorchScript file"}      no default: must be given
// checked before anything runs (not in a dry run), each refusal one line naming the param. `--dry-run` lists each sweep's jobs
// with a time estimate and each script's command, writing nothing: a pick is run on the runs its sweeps
// hold so far (its report not written) so the sweeps that use its answer can be listed; with nothing to pick
// from yet those are listed once there is (the others are listed). A sweep with a failed job stops the study (exit 1) before the
// steps that read it, and so does SIGINT or SIGTERM in a sweep or a script (exit 130/143); a diverged job is a result and the study goes on.
// Run the same command again: finished jobs are skipped, interrupted and failed ones run again (from
// their checkpoints), reports are re-made. With launcher=slurm each sweep waits for its array.

#include <filesystem>
#include <string>
#include <vector>

namespace stanley {

int run_study(const std::filesystem::path& config_dir, const std::filesystem::path& source_dir,
              const std::vector<std::string>& args);

}  // namespace stanley
