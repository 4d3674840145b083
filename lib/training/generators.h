#pragma once
// The run's random streams, each derived from `seed` (random/streams.h). Every kind of draw has a stream
// of its own, so two runs that share a seed share every draw they have in common whatever the sampler:
// the same data batches, the same chain starts, the same step noise (a sampler without noise, gd, simply
// leaves its stream unread), and only MH samplers read the acceptance stream. Paired comparisons across
// samplers rest on this (tests/paired_streams_test.cpp).

#include "random/streams.h"
#include "samplers/sampler.h"

namespace stanley {

// One evaluation's streams, derived from the seed and the iteration alone: an evaluation draws the same
// numbers whatever the sampler drew in earlier evaluations, and a resumed run needs no saved state for it.
struct EvalStreams {
  at::Generator starts;  // evaluation chains' starts
  ChainStreams chains;   // their step noise and MH uniforms
  at::Generator scoring;  // subsets of scores that resample (KID)
};

struct RunGenerators {
  at::Generator data;    // data batches (CPU)
  at::Generator starts;  // training chains' starts (device)
  ChainStreams chains;   // training chains' step noise and MH uniforms (device)
  RunGenerators(std::uint64_t seed, const torch::Device& device);
  // `purpose` separates the streams of different measurements at one iteration (FID samples, inpainting).
  EvalStreams evaluation(std::int64_t iteration, const std::string& purpose = "eval") const;

 private:
  std::uint64_t seed_;
  torch::Device device_;
};

}  // namespace stanley
