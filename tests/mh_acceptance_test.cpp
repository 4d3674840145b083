// Each Metropolis-Hastings baseline is meaningful at each experiment's own settings: trained at
// scale=smoke with its configured step adaptation, it accepts between 10% and 95% of its proposals
// (a sampler that rejects everything is no baseline; one that accepts everything is plain Langevin).
#include <gtest/gtest.h>

#include <tuple>

#include "store/h5_file.h"
#include "test_support.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

class MhAcceptance : public ::testing::TestWithParam<std::tuple<std::string, std::string>> {};

TEST_P(MhAcceptance, AcceptsBetween10And95PercentAtSmokeScale) {
  const auto& [experiment, sampler] = GetParam();
  TempDir tmp;
  const fs::path dir = tmp / "run";
  // fmnist: no evaluation, so no feature network is trained; acceptance is logged every 5 iterations.
  const std::string extra = experiment == "fmnist" ? " eval.every=0 train.iters=40 log.every=5" : "";
  const CommandResult r = run_stanley("run experiment=" + experiment + " scale=smoke threads=1 sampler=" + sampler +
                                      " run.dir=" + dir.string() + extra);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  H5File h5(dir / "metrics.h5", H5File::Mode::kReadOnly);
  const auto accept = h5.read_doubles("/scalars/chain_accept_rate/value");
  ASSERT_FALSE(accept.empty());
  EXPECT_GT(accept.back(), 0.10) << experiment << "/" << sampler;
  EXPECT_LT(accept.back(), 0.95) << experiment << "/" << sampler;
  EXPECT_TRUE(h5.exists("/scalars/sampler_step_size"));
}

INSTANTIATE_TEST_SUITE_P(Experiments, MhAcceptance,
                         ::testing::Combine(::testing::Values("rings", "fmnist"),
                                            ::testing::Values("mala", "stanley_mh", "hmc")),
                         [](const auto& info) { return std::get<0>(info.param) + "_" + std::get<1>(info.param); });

}  // namespace
