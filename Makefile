# stanley: `make demo` and `make test` do all set-up on a fresh Debian 12 machine.
PYTHON ?= /usr/bin/python3
BUILD ?= build
JOBS ?= 2
STANLEY := $(BUILD)/stanley
STAMP := $(shell date +%Y-%m-%d_%H-%M-%S)

.PHONY: all deps configure build app test test-all demo reproduce-fig1 reproduce-fig4 fmnist bench clean help

all: build

help:
	@echo "make demo            install deps, build, train rings (scale=small) with langevin and stanley, plot"
	@echo "make test            install deps, build, run the CTest suite"
	@echo "make reproduce-fig1  paper-scale rings runs and results/figures/fig1.png"
	@echo "make fmnist          Fashion-MNIST EBM (scale=small, CPU minutes), Langevin and STANLEY, fid_fmnist curves"
	@echo "make reproduce-fig4  CIFAR-10 and Flowers FID curves at paper scale (GPU; DATA_CIFAR10, DATA_FLOWERS, INCEPTION)"
	@echo "make bench           Google Benchmark programs"

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

# Paper Fig. 1: K=100, T=10,000, s=0.14 with our ε=0.3, Adam 1e-3 and STANLEY th=1.0 with γ ≤ s (the
# paper's th=0.01 and eq. 4 without s diverge here: README "Rings and th"). A run that diverges stops loudly; the figure still
# shows what it reached.
reproduce-fig1: app
	@mkdir -p results/fig1/$(STAMP)
	$(STANLEY) run experiment=rings scale=paper sampler=langevin threads=1 run.dir=results/fig1/$(STAMP)/langevin & p1=$$!; \
	$(STANLEY) run experiment=rings scale=paper sampler=stanley threads=1 run.dir=results/fig1/$(STAMP)/stanley & p2=$$!; \
	wait $$p1; wait $$p2; true
	@$(PYTHON) analysis/plot_rings.py results/fig1/$(STAMP)/langevin results/fig1/$(STAMP)/stanley \
		--every 2000 --out results/figures/fig1.png
	@echo "figure: results/figures/fig1.png"

# Fashion-MNIST at scale=small: STANLEY then Langevin (each uses both cores), then the FID curves
# and last sample grids. The feature network and reference statistics are built once, cached.
fmnist: app
	@mkdir -p results/fmnist_cmp/$(STAMP)
	$(STANLEY) run experiment=fmnist scale=small sampler=stanley run.dir=results/fmnist_cmp/$(STAMP)/stanley; \
	$(STANLEY) run experiment=fmnist scale=small sampler=langevin run.dir=results/fmnist_cmp/$(STAMP)/langevin; true
	@$(PYTHON) analysis/plot_fid.py results/fmnist_cmp/$(STAMP)/stanley results/fmnist_cmp/$(STAMP)/langevin \
		--out results/figures/fmnist_fid.png

# Paper Fig. 4: FID over 100k iterations on CIFAR-10 and Flowers, Langevin vs STANLEY, on a GPU.
# Needs the data on disk and an Inception TorchScript file (README "Image experiments").
DEVICE ?= cuda
DATA_CIFAR10 ?= data/cifar10
DATA_FLOWERS ?= data/flowers102
INCEPTION ?=
reproduce-fig4: app
	@test -n "$(INCEPTION)" || { echo "reproduce-fig4: set INCEPTION=path/to/inception-2015-12-05.pt (README: Image experiments)"; exit 2; }
	@mkdir -p results/fig4/$(STAMP)
	for exp in cifar10 flowers; do \
	  root=$$( [ $$exp = cifar10 ] && echo $(DATA_CIFAR10) || echo $(DATA_FLOWERS) ); \
	  for s in langevin stanley; do \
	    $(STANLEY) run experiment=$$exp scale=paper sampler=$$s device=$(DEVICE) data.root=$$root \
	      features.inception.path=$(INCEPTION) run.dir=results/fig4/$(STAMP)/$$exp-$$s || true; \
	  done; \
	  $(PYTHON) analysis/plot_fid.py results/fig4/$(STAMP)/$$exp-langevin results/fig4/$(STAMP)/$$exp-stanley \
	    --out results/figures/fig4_$$exp.png; \
	done

bench: build
	$(BUILD)/bench/bench_samplers

clean:
	rm -rf $(BUILD)
