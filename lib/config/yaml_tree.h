#pragma once
// Operations on a yaml-cpp tree addressed by dotted keys ("train.lr"). yaml-cpp nodes alias their
// document: these functions rebind or clone, never assign one node variable to another.

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <string>
#include <vector>

namespace stanley {

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF).
bool valid_utf8(const std::string& text);
// A config document's top-level mapping (empty text: an empty map); a UserError names `where` (and the
// line) for text that is not UTF-8, not YAML or not a mapping.
YAML::Node parse_yaml_text(const std::string& text, const std::string& where);
// The file's top-level mapping (an empty file is an empty map); a UserError names the file and line.
YAML::Node load_yaml_file(const std::filesystem::path& path);
// Deep merge: maps merge key by key, anything else replaces (cloned).
void merge_into(YAML::Node dst, const YAML::Node& src);
// Child of a map without inserting it (non-const operator[] would create a zombie entry).
YAML::Node child_of(const YAML::Node& node, const std::string& key);
// The node at `parts` below `root`, or an undefined node.
YAML::Node find_path(const YAML::Node& root, const std::vector<std::string>& parts);
// Sets the node at `parts`, creating intermediate maps.
void set_path(YAML::Node root, const std::vector<std::string>& parts, const YAML::Node& value);
// Removes the node at `parts`; false if there was none.
bool remove_path(YAML::Node root, const std::vector<std::string>& parts);

std::vector<std::string> split_dotted(const std::string& key);
// Every key of the tree in dotted form, parents before children: candidates for suggestions.
std::vector<std::string> all_dotted_keys(const YAML::Node& root);
std::string emit_yaml(const YAML::Node& node);
// A value as an error line shows it: a scalar's text, anything else as flow YAML on one line.
std::string one_line(const YAML::Node& node);
// 16 hex digits of FNV-1a over the text: identifies a resolved config.
std::string hash_text(const std::string& text);

}  // namespace stanley
