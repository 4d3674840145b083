#pragma once
// Shared by the benchmark programs: nets and samplers built from the suite's own YAML (the code paths
// a run takes), and the arithmetic of a forward pass counted from the layer shapes.

#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "models/energy.h"
#include "samplers/sampler_registry.h"

namespace stanley::bench {

// configs/model/<name>.yaml with `overrides` (a YAML mapping) merged in.
EnergyPtr build_net(const std::string& name, const std::vector<std::int64_t>& sample_shape,
                    const std::string& overrides = "{}");
// configs/sampler/<name>.yaml with step adaptation off and `overrides` merged in.
SamplerPtr build_sampler(const std::string& name, const std::string& overrides = "{}");

// A benchmark program's main: the same BLAS kernels as `stanley` (io/blas_kernels.h), the program's
// benchmarks registered, then Google Benchmark's flags and run, with the BLAS core in the context.
int run_benchmarks(int argc, char** argv, void (*register_all)());

// libtorch's and OpenBLAS's thread counts (as `threads=` sets them) and a fixed seed.
void prepare_threads(int threads);

// The net samplers see at `precision`: "fp32", the net itself; "bf16", its bf16 channels-last twin
// (precision=bf16 channels_last=true), synced from `net`; "bf16_nchw" (bf16 alone) and "fp32_cl"
// (channels-last alone) separate the two changes. Null, with the benchmark skipped, on a CPU
// without AVX512-BF16.
EnergyPtr sampling_view(benchmark::State& state, const EnergyPtr& net, const std::string& name,
                        const std::vector<std::int64_t>& sample_shape, const std::string& overrides,
                        const std::string& precision, const torch::Device& device = torch::kCPU);

// Multiply-adds x 2 of one forward pass for one sample: Conv2d and Linear layers, in registration
// order, which is the order the suite's nets apply them (LeakyReLU/ReLU/flatten are not counted).
double forward_flops(torch::nn::Module& net, const std::vector<std::int64_t>& sample_shape);

}  // namespace stanley::bench
