// No host synchronisation inside the sampling loop, for every registered sampler. On a GPU each read
// of a device value (item(), a tensor in an `if`, nonzero, equal) stalls the stream until the K
// steps queued so far have run, and a CUDA graph cannot capture one. The ops that make such a read
// are counted with libtorch's RecordFunction callbacks while a sampler runs K = 2 and K = 8 steps:
// the counts must be equal (nothing per step) and, for the samplers of the paper's figures, zero.
// (A bare .cpu() of a CPU tensor dispatches nothing and escapes this count; `make gpu-check` runs
// the same loops on a GPU.)
#include <ATen/record_function.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <atomic>
#include <cstring>

#include "sampler_fixtures.h"
#include "test_support.h"
#include "training/generators.h"

using namespace stanley;
using namespace stanley::testing;

namespace {

// The ATen ops that read a device value back to the host.
bool reads_back(const char* name) {
  for (const char* op : {"aten::_local_scalar_dense", "aten::is_nonzero", "aten::nonzero", "aten::equal",
                         "aten::allclose", "aten::unique", "aten::_unique2", "aten::masked_select"})
    if (std::strcmp(name, op) == 0) return true;
  return false;
}

std::atomic<int> g_reads{0};

class ReadBackCounter {
 public:
  ReadBackCounter() {
    g_reads = 0;
    handle_ = at::addThreadLocalCallback(
        at::RecordFunctionCallback([](const at::RecordFunction& fn) -> std::unique_ptr<at::ObserverContext> {
          if (reads_back(fn.name())) ++g_reads;
          return nullptr;
        }).scopes({at::RecordScope::FUNCTION}));
  }
  ~ReadBackCounter() { at::removeCallback(handle_); }
  int count() const { return g_reads; }

 private:
  at::CallbackHandle handle_;
};

SamplerPtr build(const std::string& name) {
  YAML::Node node = YAML::LoadFile(source_dir() + "/configs/sampler/" + name + ".yaml");
  if (node["adapt_step"]) node["adapt_step"] = false;  // adaptation reads the acceptance once per call, by design
  return make_sampler(Config(node, "sampler"));
}

int reads_during(const std::string& name, std::int64_t n_steps, bool traced) {
  QuadraticEnergy f({1.0, 0.5});
  SamplerPtr sampler = build(name);
  at::Generator gen = make_generator(torch::kCPU, 1);
  const torch::Tensor z0 = torch::zeros({16, 2}, torch::kFloat64) + 0.3;
  sampler->sample(f, z0, n_steps, gen, nullptr);  // a first call: STANLEY's γ then comes from previous samples
  ChainTrace trace;
  ReadBackCounter counter;
  sampler->sample(f, z0, n_steps, gen, traced ? &trace : nullptr);
  return counter.count();
}

TEST(HostSyncCounter, SeesAnItemCall) {
  ReadBackCounter counter;
  (void)torch::ones({2}).sum().item<double>();
  EXPECT_EQ(counter.count(), 1) << "the RecordFunction hook is not counting: this test could not fail";
}

class HostSync : public ::testing::TestWithParam<std::string> {};

TEST_P(HostSync, NoneInsideTheSamplingLoop) {
  for (bool traced : {false, true}) {
    const int short_run = reads_during(GetParam(), 2, traced), long_run = reads_during(GetParam(), 8, traced);
    EXPECT_EQ(short_run, long_run) << GetParam() << (traced ? " traced" : "") << ": host reads grow with K";
    EXPECT_EQ(long_run, 0) << GetParam() << (traced ? " traced" : "") << ": host reads in sample()";
  }
}

INSTANTIATE_TEST_SUITE_P(Registered, HostSync, ::testing::ValuesIn(sampler_registry().names()),
                         [](const auto& info) { return info.param; });

}  // namespace
