#pragma once
// The value side of a command-line override, read as Hydra's override grammar reads it (not as YAML):
//   'a\'b' "x"      quoted: always a string (escapes: \' \" \\)
//   [a, b] {k: v}   lists and dicts of values, nested; `{a:1,b:2}` needs no spaces
//   null            null (any case)          true/false  bool (any case: TrUe)
//   1_000 -3        int (underscores allowed; 0x10 is the string "0x10")
//   1e-3 .5 inf nan float (inf/nan any case, signed)
//   anything else   a string: yes/on/y stay strings, #hash is a string, \, \= \: \[ \] \{ \} \( \) \  are
//                   escapes for the character; ${...} is left for interpolation
// Strings are tagged !!str so that YAML readers (yaml-cpp, PyYAML) never retype them; floats are
// written with a decimal point so that PyYAML (YAML 1.1) reads them as floats.

#include <yaml-cpp/yaml.h>

#include <string>

namespace stanley {

// Throws UserError (naming `context`, the override as typed) on malformed text.
YAML::Node parse_override_value(const std::string& text, const std::string& context);

// True when a node holds a string that was quoted or tagged !!str (not a number or bool in disguise).
bool is_explicit_string(const YAML::Node& node);

}  // namespace stanley
