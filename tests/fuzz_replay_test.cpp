// Every input under fuzz/corpus/<target>/ and fuzz/regressions/<target>/ (inputs a fuzzer once found)
// through the fuzz targets' bodies: in the normal build, so a fixed finding stays fixed without clang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "fuzz_bodies.h"
#include "test_support.h"

namespace fs = std::filesystem;

namespace {

std::size_t replay(const std::string& target, const std::function<void(const std::string&)>& body) {
  std::size_t n = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(stanley::testing::source_dir()) / "fuzz" / kind / target;
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().filename().string().front() == '.') continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      SCOPED_TRACE(entry.path().string());
      body(text.str());  // a finding aborts the test program
      ++n;
    }
  }
  return n;
}

TEST(FuzzReplay, Overrides) { EXPECT_GE(replay("overrides", stanley::fuzz::fuzz_overrides), 4u); }
TEST(FuzzReplay, Sweep) { EXPECT_GE(replay("sweep", stanley::fuzz::fuzz_sweep), 2u); }
TEST(FuzzReplay, YamlConfig) { EXPECT_GE(replay("yaml_config", stanley::fuzz::fuzz_yaml_config), 2u); }

}  // namespace
