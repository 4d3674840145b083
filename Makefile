# stanley: `make demo` and `make test` do all set-up on a fresh Debian 12 machine.
PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= 2
STANLEY := $(BUILD)/stanley
STAMP := $(shell date +%Y-%m-%d_%H-%M-%S)

.PHONY: all deps configure build test test-all demo reproduce-fig1 bench clean help

all: build

help:
	@echo "make demo            install deps, build, train rings (scale=small) with langevin and stanley, plot"
	@echo "make test            install deps, build, run the CTest suite"
	@echo "make reproduce-fig1  paper-scale rings runs and results/figures/fig1.png"
	@echo "make bench           Google Benchmark programs"

deps:
	@bash scripts/install_deps.sh

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DSTANLEY_PYTHON=$(PYTHON)

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build $(BUILD) -j $(JOBS)

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Rings at scale=small, both samplers side by side (one thread each), then Fig. 1's layout.
# STANLEY uses th=1.0 on CPU: see configs/experiment/rings.yaml and README "Rings and th".
demo: build
	@mkdir -p results/demo/$(STAMP)
	$(STANLEY) run experiment=rings scale=small sampler=langevin threads=1 run.dir=results/demo/$(STAMP)/langevin & p1=$$!; \
	$(STANLEY) run experiment=rings scale=small sampler=stanley sampler.th=1.0 threads=1 run.dir=results/demo/$(STAMP)/stanley & p2=$$!; \
	wait $$p1 && wait $$p2
	@$(PYTHON) analysis/plot_rings.py results/demo/$(STAMP)/langevin results/demo/$(STAMP)/stanley \
		--every 250 --out results/figures/demo_rings.png
	@echo "figure: results/figures/demo_rings.png"

# Paper Fig. 1 at the paper's settings (K=100, T=10,000, lr 1e-4, s=0.14, th=0.01), plus STANLEY at
# th=1.0 for comparison. A run that diverges stops loudly; the figure still shows what it reached.
reproduce-fig1: build
	@mkdir -p results/fig1/$(STAMP)
	$(STANLEY) run experiment=rings scale=paper sampler=langevin threads=1 run.dir=results/fig1/$(STAMP)/langevin & p1=$$!; \
	$(STANLEY) run experiment=rings scale=paper sampler=stanley threads=1 run.dir=results/fig1/$(STAMP)/stanley & p2=$$!; \
	$(STANLEY) run experiment=rings scale=paper sampler=stanley sampler.th=1.0 threads=1 run.dir=results/fig1/$(STAMP)/stanley_th1 & p3=$$!; \
	wait $$p1; wait $$p2; wait $$p3; true
	@$(PYTHON) analysis/plot_rings.py results/fig1/$(STAMP)/langevin results/fig1/$(STAMP)/stanley \
		results/fig1/$(STAMP)/stanley_th1 --every 2000 --out results/figures/fig1.png
	@echo "figure: results/figures/fig1.png"

bench: build
	$(BUILD)/bench/bench_samplers

clean:
	rm -rf $(BUILD)
