// Paired seeds, as a guarantee: two runs that share a seed share every draw they have in common, whatever
// their samplers. Each registered sampler reads exactly one standard normal per coordinate and step from
// the noise stream (gd: none) and, only when it has a Metropolis–Hastings test, one uniform per chain and
// step from the acceptance stream; the trainer draws chain starts and data from streams no sampler reads.
// A sampler that drew one number more, or on the wrong stream, would shift every later draw of its runs
// and unpair them from the others.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "random/draws.h"
#include "sampler_fixtures.h"
#include "test_support.h"
#include "training/generators.h"

using namespace stanley;
using namespace stanley::testing;
namespace fs = std::filesystem;

namespace {

SamplerPtr build(const std::string& name) {
  YAML::Node node = YAML::LoadFile(source_dir() + "/configs/sampler/" + name + ".yaml");
  if (node["noise"]) node["noise"] = 0.5;
  if (node["adapt_step"]) node["adapt_step"] = false;
  return make_sampler(Config(node, "sampler"));
}

bool same_state(at::Generator& a, at::Generator& b) { return torch::equal(a.get_state(), b.get_state()); }

class PairedStreams : public ::testing::TestWithParam<std::string> {};

TEST_P(PairedStreams, EachSamplerReadsItsStreamsExactlyAsDeclared) {
  QuadraticEnergy f({1.0, 0.5, 2.0});
  const std::int64_t k = 7, chains = 5;
  const torch::Tensor z0 = torch::randn({chains, 3}, torch::kFloat64);
  SamplerPtr sampler = build(GetParam());
  ChainStreams streams{make_generator(torch::kCPU, 11), make_generator(torch::kCPU, 12)};
  // Two calls: STANLEY's second call takes γ from carried state, not from another draw.
  for (int call = 0; call < 2; ++call) sampler->sample(f, z0, k, streams, nullptr);

  at::Generator noise = make_generator(torch::kCPU, 11), accept = make_generator(torch::kCPU, 12);
  for (int call = 0; call < 2; ++call) {
    if (sampler->temperature() > 0) draw::normal({k, chains, 3}, noise, torch::kFloat64);
    if (sampler->exact()) draw::uniform({k, chains}, accept, torch::kFloat64);
  }
  EXPECT_TRUE(same_state(streams.noise, noise)) << "the noise stream was read other than K standard normals like z per call";
  EXPECT_TRUE(same_state(streams.accept, accept)) << (sampler->exact() ? "the MH test read other than one uniform per chain and step"
                                                                        : "a sampler without an MH test read the acceptance stream");
}

// Two samplers with one noise stream see the same step normals: Langevin and MALA propose the same first
// move, so chains that accept it are where Langevin took them.
TEST(PairedStreams, LangevinAndMalaProposeWithTheSameNormals) {
  QuadraticEnergy f({1.0});
  const torch::Tensor z0 = torch::full({200, 1}, 0.3, torch::kFloat64);
  auto one_step = [&](const std::string& yaml) {
    ChainStreams streams{make_generator(torch::kCPU, 5), make_generator(torch::kCPU, 6)};
    return sampler_from(yaml)->sample(f, z0, 1, streams, nullptr);
  };
  const torch::Tensor lang = one_step("{name: langevin, step_size: 0.1, noise: 0.5}");
  const torch::Tensor mala = one_step("{name: mala, step_size: 0.1, noise: 0.5}");
  const torch::Tensor moved = mala != z0;
  ASSERT_GT(moved.sum().item<std::int64_t>(), 150) << "MALA at s = 0.1 should accept most moves";
  EXPECT_TRUE(torch::equal(mala.masked_select(moved), lang.masked_select(moved)));
}

INSTANTIATE_TEST_SUITE_P(Registered, PairedStreams, ::testing::ValuesIn(sampler_registry().names()),
                         [](const auto& info) { return info.param; });

// The trainer end to end: after the same iterations with the same seed, every sampler leaves the chain
// starts and data streams in the same state (no sampler reads them), and every sampler with noise the
// same noise stream.
TEST(PairedStreamsRun, ChainStartsAndDataDoNotDependOnTheSampler) {
  TempDir tmp;
  std::map<std::string, std::map<std::string, torch::Tensor>> states;
  for (const std::string name : {"langevin", "gd", "mala", "hmc", "stanley"}) {
    const fs::path dir = tmp / name;
    const CommandResult r = run_stanley("run experiment=rings scale=smoke threads=1 seed=3 train.iters=4 train.ckpt_every=4 "
                                        "eval.every=0 sampler=" + name + " run.dir=" + dir.string());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    torch::serialize::InputArchive archive;
    archive.load_from((dir / "checkpoints" / "iter_0000004.pt").string());
    for (const char* key : {"gen_data", "gen_chain_starts", "gen_chain_noise", "gen_mh_accept"}) {
      torch::Tensor t;
      archive.read(key, t);
      states[name][key] = t;
    }
  }
  for (const auto& [name, s] : states) {
    EXPECT_TRUE(torch::equal(s.at("gen_data"), states["langevin"].at("gen_data"))) << name;
    EXPECT_TRUE(torch::equal(s.at("gen_chain_starts"), states["langevin"].at("gen_chain_starts"))) << name;
  }
  for (const char* name : {"mala", "hmc", "stanley"})
    EXPECT_TRUE(torch::equal(states[name].at("gen_chain_noise"), states["langevin"].at("gen_chain_noise"))) << name;
  EXPECT_FALSE(torch::equal(states["gd"].at("gen_chain_noise"), states["langevin"].at("gen_chain_noise"))) << "gd has no noise";
  EXPECT_TRUE(torch::equal(states["langevin"].at("gen_mh_accept"), states["gd"].at("gen_mh_accept")));
  EXPECT_FALSE(torch::equal(states["mala"].at("gen_mh_accept"), states["langevin"].at("gen_mh_accept")));
}

}  // namespace
