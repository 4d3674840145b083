# stanley: `make demo` and `make test` do all set-up on a fresh Debian 12 machine.
PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= 2
STANLEY := $(BUILD)/stanley
STAMP := $(shell date +%Y-%m-%d_%H-%M-%S)

.PHONY: all deps configure build app test gpu-check reproduce-rings-paired reproduce-twin-paired reproduce-twin-clip reproduce-twin-tuning-rule reproduce-twin-bf16 reproduce-twin-verdict reproduce-rings-verdicts demo reproduce-fig1 reproduce-fig4 reproduce-fig5 reproduce-fig6 reproduce-ablations reproduce-mh-check reproduce-ergodicity fmnist bench bench-compare clean help freeze-fid-fmnist key-table update-reference test-slurm test-sanitize test-asan fuzz

all: build

help:
	@echo "make demo            install deps, build, train rings (scale=small) with langevin and stanley, plot"
	@echo "make test            install deps, build, run the CTest suite"
	@echo "make reproduce-fig1  paper-scale rings runs and results/fig1/fig1.png (study fig1)"
	@echo "make fmnist          Fashion-MNIST EBM (scale=small, CPU minutes), Langevin and STANLEY, fid_fmnist curves"
	@echo "make reproduce-fig4  FID curves of the five samplers over SEEDS (SCALE=small: Fashion-MNIST twin on CPU;"
	@echo "                     SCALE=paper: CIFAR-10 and Flowers on a GPU, DATA_CIFAR10, DATA_FLOWERS, INCEPTION)"
	@echo "make reproduce-fig5  CelebA FID, five samplers (SCALE=paper: DATA_CELEBA, INCEPTION; small: fmnist stand-in)"
	@echo "make reproduce-fig6  inpainting, STANLEY vs Langevin (SCALE=small: fmnist; paper: CelebA)"
	@echo "make reproduce-ablations  th grid (rings, fmnist), K vs gradient evaluations, STANLEY gamma variants"
	@echo "make reproduce-mh-check  can MALA/HMC train the Fig. 4 twin? more steps, persistent chains, warmer targets"
	@echo "make reproduce-rings-paired  rings over 5 paired seeds: Fig. 1 early, K at one budget, clip fraction (~35 min)"
	@echo "make reproduce-twin-paired   Fig. 4 twin main comparison (langevin, stanley, gd) over 5 paired seeds (~2 h)"
	@echo "make reproduce-twin-clip  STANLEY's clip fraction q in {0, 0.01, 0.1, 0.3, 0.5} on the twin, paired (~7 h)"
	@echo "make reproduce-twin-bf16  bf16 against fp32 sampling on the twin, Langevin and STANLEY, 10 paired seeds (~2 h)"
	@echo "make reproduce-rings-verdicts  rings to verdicts: Fig. 1 early, K at one budget, clip fractions; fair tuning (seeds 100-102), Stein seeds (cap 30)"
	@echo "make reproduce-twin-verdict  Fig. 4 twin to a verdict: 4 arms tuned by one rule (seeds 100-102), pilot 0-9, Stein for the rest (cap 20)"
	@echo "make reproduce-twin-tuning-rule  Langevin's twin step tuned over 3 seeds x 1,500 iterations vs the 1-seed pick, paired (~70 min)"
	@echo "make reproduce-ergodicity  ESS/grad, R-hat, coupling rho along training (eval.diagnose=true)"
	@echo "make gpu-check       on a GPU machine after scripts/build_cuda.sh: every path on CUDA, iteration times, shared-GPU throughput"
	@echo "make bench           Google Benchmark programs -> results/bench/*.json (idle machine)"
	@echo "make bench-compare   EBM iteration: this suite vs the same loop in PyTorch-Python, median ratio"
	@echo "make freeze-fid-fmnist  re-make the frozen fid_fmnist network and statistics (assets/fid_fmnist/, ~1 min)"
	@echo "make key-table       regenerate the generated tables: docs/keys.md, the README key table (configs/keys.yaml), the sampler tables (registry)"
	@echo "make update-reference  re-record the CI regression references (tests/baselines/, 5 seeds each, ~6 min)"
	@echo "make test-sanitize   the io layer's tests under ASan + UBSan (build-sanitize/)"
	@echo "make fuzz            libFuzzer on the override, sweep and YAML parsers (FUZZ_SECONDS each, clang)"
	@echo "make test-slurm      multirun on a real single-node SLURM started on localhost (installs slurm-wlm, munge)"

deps:
	@bash scripts/install_deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSTANLEY_PYTHON=$(PYTHON)

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

# Only the `stanley` program: what demo and the figure targets run (tests are built by `make test`).
app: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target stanley

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The torch-free io layer (config grammar, overrides, sweeps, run directories, HDF5, atomic files)
# under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build directory.
SANITIZE_TESTS := config_test sweep_grammar_test run_dir_test h5_file_test fuzz_replay_test
test-sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTANLEY_SANITIZE=ON -DSTANLEY_SANITIZE_IO_ONLY=ON -DSTANLEY_UNITY_BUILD=OFF \
	  -DSTANLEY_PYTHON=$(PYTHON) > /dev/null
	cmake --build build-sanitize -j $(JOBS) --target $(SANITIZE_TESTS)
	for t in $(SANITIZE_TESTS); do \
	  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    build-sanitize/tests/$$t --gtest_brief=1 || exit 1; \
	done

# libFuzzer (clang-14) on the override, sweep and YAML-config parsers for FUZZ_SECONDS each, from
# fuzz/corpus/<target>; new coverage goes to build-fuzz/corpus/<target>. A finding stops with the input
# saved as build-fuzz/crash-*: copy it into fuzz/regressions/<target>/, where fuzz_replay_test keeps it.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := overrides sweep yaml_config
fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTANLEY_FUZZ=ON \
	  -DSTANLEY_UNITY_BUILD=OFF -DSTANLEY_BUILD_TESTS=OFF -DSTANLEY_BUILD_BENCH=OFF -DSTANLEY_CHECK_LAYERS=OFF > /dev/null
	cmake --build build-fuzz -j $(JOBS) --target $(addsuffix _fuzz,$(FUZZ_TARGETS))
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && \
	  (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 ./fuzz/$${t}_fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=512 \
	    -print_final_stats=1 corpus/$$t ../fuzz/corpus/$$t ../fuzz/regressions/$$t) || exit 1; \
	done

# The whole suite (program, every GoogleTest binary, the end-to-end and sweep tests that run the program)
# under ASan + UBSan in build-asan/, with CTest. Every leak is reported except one whose allocation stack
# passes through an uninstrumented library it loads (libtorch, OpenMP, OpenBLAS, HDF5), suppressed by
# name in scripts/lsan.supp. Its own build (longer than the plain one), then ~6 min of tests here.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
test-asan: deps
	cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTANLEY_SANITIZE=ON -DSTANLEY_BUILD_BENCH=OFF \
	  -DSTANLEY_CHECK_LAYERS=OFF -DSTANLEY_PYTHON=$(PYTHON) > /dev/null
	cmake --build build-asan -j $(JOBS)
	$(ASAN_ENV) ctest --test-dir build-asan --output-on-failure -j $(JOBS)

# The CI regression references (tests/baselines/*.yaml): each check over 5 seeds, tolerance from their
# spread. Run on purpose, after an intended change of a metric; commit the files with the change.
freeze-fid-fmnist: app
	PYTHON=$(PYTHON) bash scripts/freeze_fid_fmnist.sh $(STANLEY)

update-reference: app
	$(PYTHON) scripts/update_reference.py $(STANLEY) . --seeds $(or $(SEEDS),5)

# Rings at scale=small (3,000 iterations, K=100), both samplers side by side (one thread each), then
# Fig. 1's layout with the exact-sample reference. STANLEY's settings: configs/experiment/rings.yaml.
demo: app
	@mkdir -p results/demo/$(STAMP)
	$(STANLEY) run experiment=rings scale=small sampler=langevin threads=1 run.dir=results/demo/$(STAMP)/langevin & p1=$$!; \
	$(STANLEY) run experiment=rings scale=small sampler=stanley threads=1 run.dir=results/demo/$(STAMP)/stanley & p2=$$!; \
	wait $$p1 && wait $$p2
	@$(PYTHON) analysis/plot_rings.py results/demo/$(STAMP)/langevin results/demo/$(STAMP)/stanley \
		--every 1000 --out results/figures/demo_rings.png
	@echo "figure: results/figures/demo_rings.png"

# Paper Fig. 1: the study configs/study/fig1.yaml (paper scale, Langevin and STANLEY side by side).
reproduce-fig1: app
	$(STANLEY) study fig1 dir=results/fig1 seeds=0 jobs=2

# Fashion-MNIST at scale=small: STANLEY then Langevin (each uses both cores), then the FID curves
# and last sample grids. The feature network and reference statistics are built once, cached.
fmnist: app
	@mkdir -p results/fmnist_cmp/$(STAMP)
	$(STANLEY) run experiment=fmnist scale=small sampler=stanley run.dir=results/fmnist_cmp/$(STAMP)/stanley; \
	$(STANLEY) run experiment=fmnist scale=small sampler=langevin run.dir=results/fmnist_cmp/$(STAMP)/langevin; true
	@$(PYTHON) analysis/plot_fid.py results/fmnist_cmp/$(STAMP)/stanley results/fmnist_cmp/$(STAMP)/langevin \
		--out results/figures/fmnist_fid.png

# Paper Fig. 4: FID against iteration for the paper's five samplers, mean and band over seeds, and a
# Markdown report with the numbers. One sweep (stanley run -m) into a fixed directory: run it again
# after an interruption and it finishes only what was left.
#   SCALE=small  the CPU twin: Fashion-MNIST (Debian's dataset-fashion-mnist), fid_fmnist from the
#                suite's own feature network, experiment fmnist at scale=twin (docs/experiments.md "Figure targets")
#   SCALE=paper  CIFAR-10 and Flowers with Inception FID, on a GPU (DATA_CIFAR10, DATA_FLOWERS, INCEPTION)
SCALE ?= small
SEEDS ?= 0,1,2
FIG4_SAMPLERS ?= langevin,stanley,mala,hmc,gd   # SCALE=paper
# SCALE=small: the study configs/study/fig4_twin.yaml (each sampler tuned on a grid as the paper tuned its
# baselines, then the five at their best over SEEDS, the reports, and K at one gradient budget), into FIG4_DIR.
FIG4_DIR ?= results/fig4/small
DEVICE ?= cuda
# PAPER_SCALE=paper: the paper's settings as written; paper_stable: with the Fashion-MNIST twin's stabilisers
# (configs/experiment/cifar10.yaml). DRY_RUN=1: list every job with its estimated GPU-hours, run nothing.
PAPER_SCALE ?= paper
DRY_RUN ?=
PAPER_DRY_RUN = $(if $(DRY_RUN),--dry-run)
DATA_CIFAR10 ?= data/cifar10
DATA_FLOWERS ?= data/flowers102
INCEPTION ?=
reproduce-fig4: app
ifeq ($(SCALE),paper)
	$(STANLEY) study fig4_paper dir=results/fig4/$(PAPER_SCALE) seeds=$(SEEDS) jobs=$(JOBS) scale=$(PAPER_SCALE) device=$(DEVICE) \
	  samplers=$(FIG4_SAMPLERS) cifar10=$(DATA_CIFAR10) flowers=$(DATA_FLOWERS) $(if $(INCEPTION),inception=$(INCEPTION)) $(PAPER_DRY_RUN)
else
	$(STANLEY) study fig4_twin dir=$(FIG4_DIR) seeds=$(SEEDS) jobs=$(JOBS)
endif

# Paper Fig. 5: CelebA FID, the five samplers. SCALE=paper on a GPU (study fig5_paper: DATA_CELEBA, INCEPTION);
# SCALE=small: its CPU stand-in, Fashion-MNIST at scale=small (400 iterations), one seed per sampler.
DATA_CELEBA ?= data/celeba
reproduce-fig5: app
ifeq ($(SCALE),paper)
	$(STANLEY) study fig5_paper dir=results/fig5/$(PAPER_SCALE) seeds=$(SEEDS) jobs=$(JOBS) scale=$(PAPER_SCALE) device=$(DEVICE) \
	  samplers=$(FIG4_SAMPLERS) celeba=$(DATA_CELEBA) $(if $(INCEPTION),inception=$(INCEPTION)) $(PAPER_DRY_RUN)
else
	$(STANLEY) study fig5_small dir=results/fig5/small jobs=$(JOBS)
endif

# Paper Fig. 6: inpainting, STANLEY vs Langevin: inpaint_psnr curves (grids under each run's samples/).
reproduce-fig6: app
ifeq ($(SCALE),paper)
	$(STANLEY) study fig6_paper dir=results/fig6/$(PAPER_SCALE) seeds=$(SEEDS) jobs=$(JOBS) scale=$(PAPER_SCALE) device=$(DEVICE) \
	  celeba=$(DATA_CELEBA) $(PAPER_DRY_RUN)
else
	$(STANLEY) study fig6_small dir=results/fig6/small seeds=$(SEEDS) jobs=$(JOBS)
endif

# Ablations (CPU; the study configs/study/ablations.yaml): STANLEY's th over a log grid (rings and fmnist), K per sampler against gradient
# evaluations (the rebuttal's claim that STANLEY needs fewer transitions), and STANLEY's γ variants.
reproduce-ablations: app
	$(STANLEY) study ablations dir=results/ablations seeds=$(SEEDS) jobs=$(JOBS)

# Can an MH sampler train the Fig. 4 twin? MALA and HMC against the knobs that could rescue them, each
# next to unadjusted Langevin at the same step and target (seed 0, then seeds 1-2 for the MALA and HMC
# points and the Langevin controls; the first 1,000 iterations of the twin's 5,000-iteration schedule, Adam
# 5e-5): K = 10 → 40 gradients per chain (MALA s = 1, 2; HMC 8 transitions), a true persistent chain
# (bank 320: each chain advances every 10 iterations), the target 100× and 10^4× warmer (ε = 0.1, 1),
# MALA's step adapted toward acceptance 0.574, and MALA K = 40 at lr 1e-5. Last, HMC with 8 transitions at
# lr 2e-5 over seeds 0-2: at 5e-5 seeds 1-2 train and seed 0 runs away.
MH_CHECK_DIR ?= results/mh_check
reproduce-mh-check: app
	$(STANLEY) study mh_check dir=$(MH_CHECK_DIR) jobs=$(JOBS)

# Studies (configs/study/NAME.yaml: sweeps, selection rules and reports as data; `stanley study NAME --dry-run`
# lists them): the paper's claims on the rings and the Fig. 4 twin, over PAIRED_SEEDS compared seed by seed.
PAIRED_DIR ?= results/paired
PAIRED_SEEDS ?= 0,1,2,3,4
reproduce-rings-paired: app
	$(STANLEY) study rings_paired dir=$(PAIRED_DIR) seeds=$(PAIRED_SEEDS) jobs=$(JOBS)

# The rings' claims to a verdict under the fair protocol (issue #34): Fig. 1 early, K at one gradient budget,
# the clip fractions; each study tunes every arm on seeds 100-102 and picks its own evaluation seeds
# (configs/study/rings_{fig1,k,clip}_verdict.yaml).
reproduce-rings-verdicts: app
	$(STANLEY) study rings_fig1_verdict dir=$(PAIRED_DIR)/rings_fig1_verdict jobs=$(JOBS)
	$(STANLEY) study rings_k_verdict dir=$(PAIRED_DIR)/rings_k_verdict jobs=$(JOBS)
	$(STANLEY) study rings_clip_verdict dir=$(PAIRED_DIR)/rings_clip_verdict jobs=$(JOBS)

TWIN_PAIRED_DIR ?= $(PAIRED_DIR)/twin
reproduce-twin-paired: app
	$(STANLEY) study twin_paired dir=$(TWIN_PAIRED_DIR) seeds=$(PAIRED_SEEDS) jobs=$(JOBS)

# STANLEY's clip fraction as the axis on the twin (configs/study/twin_clip.yaml; ~7 h on 2 cores).
reproduce-twin-clip: app
	$(STANLEY) study twin_clip dir=$(PAIRED_DIR)/twin_clip seeds=$(PAIRED_SEEDS) jobs=$(JOBS)

# Langevin's step on the twin tuned over 3 seeds × 1,500 iterations against the 1-seed × 500 pick
# (configs/study/twin_tuning_rule.yaml; ~70 min on 2 cores).
# bf16 against fp32 sampling on the twin over 10 paired seeds, margin 1.0 FID: sets the CPU default precision.
BF16_SEEDS ?= 0,1,2,3,4,5,6,7,8,9
reproduce-twin-bf16: app
	$(STANLEY) study twin_bf16 dir=$(PAIRED_DIR)/twin_bf16 seeds=$(BF16_SEEDS) jobs=$(JOBS)

# Seeds are the study's own (tuning 100-102, pilot 0-9, the rest from Stein's rule): see configs/study/twin_verdict.yaml.
reproduce-twin-verdict: app
	$(STANLEY) study twin_verdict dir=$(PAIRED_DIR)/twin_verdict jobs=$(JOBS)

reproduce-twin-tuning-rule: app
	$(STANLEY) study twin_tuning_rule dir=$(PAIRED_DIR)/twin_tuning_rule seeds=$(PAIRED_SEEDS) jobs=$(JOBS)

# Corollary 1 along training: eval.diagnose=true logs ESS per gradient, R-hat and the coupling rate ρ of
# each sampler on the current model at every evaluation (rings, scale=small).
reproduce-ergodicity: app
	$(STANLEY) study ergodicity dir=results/ergodicity seeds=0 jobs=$(JOBS)

# On a GPU machine: scripts/build_cuda.sh builds $(GPU_BUILD) against python3's CUDA torch, then this runs every
# experiment, sampler and precision on CUDA, a kill-and-resume, the iteration timings beside PyTorch-Python and
# the throughput of twin jobs sharing the GPU; the table goes to results/gpu_check/gpu_check.md. Data: synthetic
# files in the real formats (scripts/make_gpu_fixtures.py) and Debian's Fashion-MNIST, in GPU_FIXTURES. A CPU
# build refuses with one line.
GPU_BUILD ?= build-cuda
GPU_FIXTURES ?= build-gpu/fixtures
GPU_PYTHON ?= python3
# docs/keys.md and the README's group table (configs/keys.yaml), the sampler tables of README.md and docs/samplers.md
# (the sampler registry); CTest key_table checks they are current.
key-table: app
	$(PYTHON) scripts/key_table.py $(STANLEY) .

gpu-check:
	@$(GPU_PYTHON) scripts/gpu_check.py --build $(GPU_BUILD) --fixtures $(GPU_FIXTURES) --python $(GPU_PYTHON) \
	  --out results/gpu_check

# Google Benchmark programs (run them on an otherwise idle machine: two threads on busy cores measure
# the scheduler, not the code). JSON under results/bench/; bench/README.md says what they found.
bench: build
	@mkdir -p results/bench
	$(BUILD)/bench/bench_sampling --benchmark_out=results/bench/sampling.json --benchmark_out_format=json
	$(BUILD)/bench/bench_pipeline --benchmark_out=results/bench/pipeline.json --benchmark_out_format=json

# The suite's EBM iteration against the same loop in PyTorch-Python, alternated over ROUNDS rounds.
bench-compare: build
	$(PYTHON) bench/compare.py $(BUILD) --rounds $(or $(ROUNDS),3) --numerics $(or $(NUMERICS),portable) \
	  --cases $(or $(CASES),fmnist_twin_bf16,fmnist_twin,rings,fmnist) --out results/bench/compare.json

clean:
	rm -rf $(BUILD)

# The SLURM launcher against a real single-node SLURM on localhost (root; installs slurm packages).
test-slurm: app
	bash scripts/test_slurm.sh $(STANLEY)
