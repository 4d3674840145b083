#pragma once
// The typed, read-only view of a composed config (io/compose.h) that every component reads.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "config/errors.h"

namespace stanley {

// Read-only view with dotted-path access and typed getters.
class Config {
 public:
  Config() = default;
  // A view of `root` as the keys under `prefix`, checked against the installed key declarations
  // (config/key_declarations.h: every leaf declared and in range, else a UserError naming the key), so that
  // no component restates a declared bound; unchecked where none are installed.
  explicit Config(YAML::Node root, std::string prefix = "");

  bool has(const std::string& key) const;
  // A missing key or a value of the wrong type is a UserError naming the full dotted key.
  template <class T>
  T get(const std::string& key) const;
  template <class T>
  T get(const std::string& key, const T& fallback) const {
    return has(key) ? get<T>(key) : fallback;
  }
  Config sub(const std::string& key) const;
  const YAML::Node& node() const { return root_; }
  std::string to_yaml() const;
  std::string full_key(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  // Bad input at config time: unless `ok`, a UserError "<full key> must be <limit> (got <value>)".
  void require(bool ok, const std::string& key, const std::string& limit) const;

 private:
  struct Unchecked {};
  Config(YAML::Node root, std::string prefix, Unchecked);  // a section of a checked view (sub)
  YAML::Node lookup(const std::string& key) const;
  YAML::Node root_;
  std::string prefix_;
};

}  // namespace stanley
