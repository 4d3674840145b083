#pragma once
// glibc's malloc against libtorch's CPU tensors.
//
// By default glibc hands every block above its mmap threshold back to the kernel when it is freed, and
// trims the heap top, so each new tensor of that size is fresh pages the kernel must fault in and zero.
// The evaluation batches (500 images through the energy net and the feature net) are such tensors:
// measured on the Fig. 4 twin's evaluation at iteration 0 (N = 5,000, two protocols, one thread),
// 140.6 s with 49.7 s in the kernel by default, 38.1 s with 5.3 s with freed memory kept; training
// 11.70 -> 12.35 it/s; metrics and trajectories bit-identical (bench/README.md).

namespace stanley {

// Keeps freed memory in the process: allocations up to 32 MiB (glibc's largest mmap threshold) come
// from the heap, and the heap is not trimmed below 1 GiB of free space. The cost is that a run's
// resident memory stays at its peak. STANLEY_GLIBC_MALLOC=default leaves glibc's defaults (for the
// side-by-side benchmark). Returns whether the setting was applied (false off glibc).
bool keep_freed_memory();

}  // namespace stanley
