// The dry run's GPU-hour estimate (lib/experiment/sweep_estimate.h) against hand-computed values.
#include <gtest/gtest.h>

#include "launch/sweep_estimate.h"
#include "test_support.h"

namespace stanley {
namespace {

std::vector<MeasuredIteration> measured() {
  MeasuredIteration eager{"cifar10", "conv_stack", "cuda", "bf16", "H200", "2026-12-04", 64, 100, 3072, 200.0, false};
  MeasuredIteration graph = eager;
  graph.ms = 100.0;
  graph.cuda_graph = true;
  return {eager, graph};
}

YAML::Node job(const std::string& sampler, bool graph, const std::string& device = "cuda") {
  return YAML::Load("{experiment: celeba, device: " + device + ", model: {name: conv_stack}, data: {name: celeba, size: 64},"
                    " train: {batch: 32, iters: 3600}, sampler: {name: " + sampler + ", n_steps: 50, n_leapfrog: 5,"
                    " cuda_graph: " + (graph ? "true" : "false") + "}}");
}

TEST(SweepEstimate, ScalesByGradientsAndImageSize) {
  // 100 ms × (32·50)/(64·100) × (3·64·64)/(3·32·32) × 3,600 iterations = 360 s.
  const auto e = estimate_job(job("langevin", true), measured());
  ASSERT_TRUE(e.has_value());
  EXPECT_NEAR(e->hours * 3600.0, 360.0, 1e-9);
  EXPECT_NE(e->basis.find("graph"), std::string::npos) << e->basis;
  EXPECT_NEAR(estimate_job(job("langevin", false), measured())->hours * 3600.0, 720.0, 1e-9) << "eager from eager";
  EXPECT_NEAR(estimate_job(job("hmc", true), measured())->hours * 3600.0, 1800.0, 1e-9) << "HMC: L gradients per step";
  EXPECT_NEAR(estimate_job(job("stanley", true), measured())->hours * 3600.0, 367.2, 1e-9) << "STANLEY: K + 1";
}

TEST(SweepEstimate, NothingMeasuredGivesNoEstimate) {
  EXPECT_FALSE(estimate_job(job("langevin", true, "cpu"), measured()).has_value());
}

TEST(SweepEstimate, TheShippedMeasurementsLoad) {
  const auto shipped = load_measured_iterations(testing::source_dir() + "/configs");
  ASSERT_FALSE(shipped.empty());
  for (const auto& m : shipped) EXPECT_GT(m.ms, 0) << m.experiment;
}

}  // namespace
}  // namespace stanley
