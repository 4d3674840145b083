// Precompiled header for the torch-using targets: <torch/torch.h> alone costs ~15 s per translation unit.
#pragma once
#include <torch/torch.h>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <string>
#include <vector>
