#pragma once
// A named table of factories, filled by explicit registration calls (no self-registering statics,
// which a static library's linker may drop). A duplicate name is an error; an unknown name lists the
// closest known ones.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/errors.h"
#include "config/text_distance.h"

namespace stanley {

template <class Factory>
class Registry {
 public:
  struct Entry {
    std::string description;
    Factory factory;
  };

  explicit Registry(std::string kind) : kind_(std::move(kind)) {}

  void add(const std::string& name, std::string description, Factory factory) {
    if (entries_.count(name)) throw std::logic_error(fmt::format("{} '{}' registered twice", kind_, name));
    entries_.emplace(name, Entry{std::move(description), std::move(factory)});
  }

  const Entry& get(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      throw UserError(fmt::format("unknown {} '{}'; closest: {} (known: {})", kind_, name,
                                  fmt::join(closest_names(name, names()), ", "), fmt::join(names(), ", ")));
    }
    return it->second;
  }

  bool contains(const std::string& name) const { return entries_.count(name) > 0; }

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& kv : entries_) out.push_back(kv.first);
    return out;
  }

  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::string kind_;
  std::map<std::string, Entry> entries_;
};

}  // namespace stanley
