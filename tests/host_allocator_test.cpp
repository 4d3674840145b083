// io/host_allocator.h: with freed memory kept, a repeated evaluation-sized allocation pattern stops
// faulting fresh pages in; with glibc's defaults (checked in a forked child, before the setting) it
// faults them in every round. Counted in minor page faults, not timed.
#include "runtime/host_allocator.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// One round of what an evaluation batch does: several 4 MiB tensors live at once, then all freed.
// Returns the minor faults the round took (32 MiB is 8,192 pages of 4 KiB).
long faults_of_one_round() {
  const long before = minor_faults();
  std::vector<char*> blocks;
  for (int i = 0; i < 8; ++i) {
    blocks.push_back(static_cast<char*>(std::malloc(4 << 20)));
    std::memset(blocks.back(), 1, 4 << 20);
  }
  for (char* b : blocks) std::free(b);
  return minor_faults() - before;
}

long faults_of_third_round() {
  faults_of_one_round();
  faults_of_one_round();
  return faults_of_one_round();
}

}  // namespace

// Under AddressSanitizer malloc is ASan's, which glibc's settings do not reach.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
TEST(HostAllocator, GlibcDefaultsFaultEveryRoundIn) {
  // In a child, so that this process's allocator is untouched by the setting (it cannot be undone).
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) _exit(faults_of_third_round() > 4096 ? 0 : 1);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "glibc's defaults no longer fault the round in: the setting may be moot";
}

TEST(HostAllocator, KeptMemoryIsReusedWithoutFaults) {
  ASSERT_TRUE(stanley::keep_freed_memory());
  const long faults = faults_of_third_round();
  EXPECT_LT(faults, 256) << faults << " minor faults for a round of 32 MiB that was freed twice before";
}
#endif
