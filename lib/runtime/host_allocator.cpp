#include "runtime/host_allocator.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace stanley {

bool keep_freed_memory() {
#if defined(__GLIBC__)
  const char* choice = std::getenv("STANLEY_GLIBC_MALLOC");
  if (choice && std::strcmp(choice, "default") == 0) return false;
  // Setting either value also turns off glibc's dynamic threshold, which would otherwise move it.
  return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1;
#else
  return false;
#endif
}

}  // namespace stanley
