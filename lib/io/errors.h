#pragma once
#include <stdexcept>
#include <string>

namespace stanley {

// A mistake in the user's input (config, override, path): reported as one line, exit code 2, no trace.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A run that left the numerically sane regime (NaN, exploding energies): stops loudly, exit code 3.
class DivergenceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace stanley
