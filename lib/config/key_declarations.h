#pragma once
// Every config key declared once (configs/keys.yaml): type, range or choices, what null means, one line of
// meaning. Composition checks each resolved config against them, so a bad value is one line naming its key
// (a UserError, exit 2) before a run directory exists; `stanley list keys` prints them beside a
// composition's values. The structured-config idea of Hydra, on a YAML file the analysis scripts can read.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stanley {

struct KeyDeclaration {
  enum class Type { kBool, kInt, kReal, kString, kPath, kIntList, kRealList, kStringList };
  std::string key;  // dotted, from the root ("train.init.kind")
  Type type = Type::kString;
  // Numeric bounds (on each element of a list); nullopt: unbounded on that side.
  std::optional<double> lo, hi;
  bool lo_open = false, hi_open = false;
  std::string range;                     // as declared: "[1, 1e10]"
  std::vector<std::string> choices;      // allowed strings (each element of a string_list)
  long min_length = 0, max_length = -1;  // list lengths; -1: no maximum
  std::string null_means;                // non-empty: null is allowed and means this
  std::string meaning;

  bool numeric() const;
  bool list() const;
  std::string type_name() const;
  // "an integer in [1, 1e10]", "one of none, cosine", "a list of 2 numbers in [-1e6, 1e6]", with "or null".
  std::string describe() const;
};

class KeyDeclarations {
 public:
  // configs/keys.yaml under `config_dir`; nullopt where the tree has none (a hand-made test tree), which
  // leaves its keys unchecked. A malformed declaration is a UserError naming the file and key.
  static std::optional<KeyDeclarations> load(const std::filesystem::path& config_dir);
  static KeyDeclarations parse(const YAML::Node& root, const std::string& where);

  const KeyDeclaration* find(const std::string& key) const;
  const std::vector<KeyDeclaration>& all() const { return decls_; }
  // Every leaf of `root`, its keys read under `prefix` ("sampler" for a sampler section), must be declared
  // and in range: else a UserError "<key> must be <describe()> (got <value>)" or "unknown config key
  // '<key>'; closest: ...".
  void validate(const YAML::Node& root, const std::string& prefix = "") const;

  // The declarations every Config checks itself against when it is built (config/config.h): installed
  // by whoever knows the config tree in use (the command, once it has its --config-dir; the tests'
  // support library, the source tree's). None installed (nullopt, a tree without keys.yaml): unchecked.
  static void install(std::optional<KeyDeclarations> declarations);
  static const KeyDeclarations* installed();

 private:
  std::vector<KeyDeclaration> decls_;
};

}  // namespace stanley
