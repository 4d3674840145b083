#pragma once

namespace stanley {
// `git describe --always --dirty` of the source tree when the binary was built.
const char* git_sha();
}  // namespace stanley
