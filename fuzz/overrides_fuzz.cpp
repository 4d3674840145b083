// libFuzzer target (make fuzz): see fuzz_bodies.h.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_bodies.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  stanley::fuzz::fuzz_overrides(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
