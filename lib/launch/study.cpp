#include "launch/study.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "config/compose.h"
#include "config/errors.h"
#include "config/text_distance.h"
#include "config/yaml_tree.h"
#include "launch/sweep.h"

namespace fs = std::filesystem;

namespace stanley {
namespace {

const std::vector<std::string> kVariables = {"seeds", "jobs", "dir", "python"};

// A study's own parameter (its `params:` block): set on the command line as NAME=VALUE, used as ${NAME}.
struct Param {
  std::string name, value;  // value: the default until the command line sets it ("" for null: must be given)
  std::string meaning;
  std::string needs;        // non-empty: a path that must exist before anything runs; what it should hold
};

// Words as a POSIX shell splits them (single and double quotes, no expansion): a pick script's output.
std::vector<std::string> shell_words(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c, in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(word), word.clear(), in_word = false;
    } else {
      word += c, in_word = true;
    }
  }
  if (quote) throw UserError(fmt::format("unbalanced quote in '{}'", text));
  if (in_word) out.push_back(word);
  return out;
}

std::string shell_quote(const std::string& s) {
  if (s.find_first_of(" '\"()$*?[]{}|&;<>\\") == std::string::npos && !s.empty()) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The command line a shell would run for `argv`, as the study echoes it.
std::string command_line(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + shell_quote(a);
  return line;
}

struct Step {
  std::string kind;               // sweep | pick | report
  std::vector<std::string> args;  // overrides, or script and arguments
  std::string dir, name;          // sweep's folder; pick's name
};

std::vector<Param> read_params(const fs::path& file, const YAML::Node& root) {
  std::vector<Param> out;
  const YAML::Node params = root["params"];
  if (!params) return out;
  if (!params.IsMap()) throw UserError(fmt::format("{}: `params` maps each name to {{default, meaning, exists}}", file.string()));
  for (const auto& kv : params) {
    Param p;
    p.name = kv.first.as<std::string>();
    if (std::find(kVariables.begin(), kVariables.end(), p.name) != kVariables.end())
      throw UserError(fmt::format("{}: param '{}' would hide the study variable of that name", file.string(), p.name));
    if (!kv.second.IsMap()) throw UserError(fmt::format("{}: param '{}' takes {{default, meaning, exists}}", file.string(), p.name));
    for (const auto& field : kv.second) {
      const std::string key = field.first.as<std::string>();
      if (key == "default") p.value = field.second.IsNull() ? "" : field.second.as<std::string>();
      else if (key == "meaning") p.meaning = field.second.as<std::string>();
      else if (key == "exists") p.needs = field.second.as<std::string>();
      else throw UserError(fmt::format("{}: param '{}': unknown field '{}' (default, meaning, exists)", file.string(), p.name, key));
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Before anything runs: every param has a value, and every path param names something that exists.
void check_params(const std::string& study, const std::vector<Param>& params) {
  for (const auto& p : params) {
    if (p.value.empty())
      throw UserError(fmt::format("study {} needs {}=... ({})", study, p.name, p.meaning.empty() ? p.needs : p.meaning));
    if (!p.needs.empty() && !fs::exists(p.value))
      throw UserError(fmt::format("study {}: no {} at {} (set {}=PATH)", study, p.needs, p.value, p.name));
  }
}

std::vector<Step> read_steps(const fs::path& file, const YAML::Node& root) {
  const YAML::Node steps = child_of(root, "steps");
  if (!steps.IsSequence() || steps.size() == 0) throw UserError(fmt::format("{}: `steps` must be a non-empty list", file.string()));
  std::vector<Step> out;
  for (const auto& s : steps) {
    Step step;
    if (!s.IsMap()) throw UserError(fmt::format("{}: each step is a map (sweep, pick or report)", file.string()));
    for (const auto& kv : s) {
      const std::string key = kv.first.as<std::string>();
      if (key == "sweep" || key == "pick" || key == "report") {
        if (!step.kind.empty()) throw UserError(fmt::format("{}: a step has one of sweep, pick, report", file.string()));
        step.kind = key;
        if (!kv.second.IsSequence()) throw UserError(fmt::format("{}: `{}` takes a list", file.string(), key));
        for (const auto& a : kv.second) step.args.push_back(a.as<std::string>());
      } else if (key == "dir") {
        step.dir = kv.second.as<std::string>();
      } else if (key == "name") {
        step.name = kv.second.as<std::string>();
      } else {
        throw UserError(fmt::format("{}: unknown step key '{}' (sweep, dir, pick, name, report)", file.string(), key));
      }
    }
    if (step.kind.empty()) throw UserError(fmt::format("{}: a step needs sweep, pick or report", file.string()));
    if (step.kind == "sweep" && step.dir.empty()) throw UserError(fmt::format("{}: a sweep step needs `dir`", file.string()));
    if (step.kind == "pick" && step.name.empty()) throw UserError(fmt::format("{}: a pick step needs `name`", file.string()));
    out.push_back(std::move(step));
  }
  return out;
}

// ${name} replaced from `vars`; a whole-value ${picked.X} expands to several values.
std::vector<std::string> substitute(const std::vector<std::string>& args, const std::map<std::string, std::string>& vars,
                                    const std::string& where) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    if (a.rfind("${picked.", 0) == 0 && a.back() == '}') {
      const std::string name = a.substr(2, a.size() - 3);
      if (!vars.count(name)) throw UserError(fmt::format("{}: {} comes from a pick step that has not run", where, a));
      for (auto& w : shell_words(vars.at(name))) out.push_back(std::move(w));
      continue;
    }
    std::string s = a;
    for (std::size_t at = 0; (at = s.find("${", at)) != std::string::npos;) {
      const auto end = s.find('}', at);
      if (end == std::string::npos) throw UserError(fmt::format("{}: unclosed ${{ in '{}'", where, a));
      const std::string name = s.substr(at + 2, end - at - 2);
      if (!vars.count(name)) {
        std::vector<std::string> known;
        for (const auto& kv : vars) known.push_back(kv.first);
        throw UserError(fmt::format("{}: unknown variable ${{{}}}{}", where, name, closest_hint(name, known)));
      }
      s.replace(at, end - at + 1, vars.at(name));
      at += vars.at(name).size();
    }
    out.push_back(s);
  }
  return out;
}

// A pick's answer that asks for no runs (seeds_from_pilot.py when the pilot already meets its target): a
// sweep that uses it is skipped, and a report over its directory reads what exists.
constexpr const char* kNoRuns = "none";

// The first pick a step's arguments use (`${picked.N}`) whose answer is `none`, or "".
std::string no_runs_pick(const std::vector<std::string>& args, const std::map<std::string, std::string>& vars) {
  for (const auto& a : args) {
    if (a.rfind("${picked.", 0) != 0 || a.back() != '}') continue;
    const auto it = vars.find(a.substr(2, a.size() - 3));
    if (it != vars.end() && it->second == kNoRuns) return it->first.substr(std::string("picked.").size());
  }
  return "";
}

// The first pick a step's arguments use (`${picked.N}`) that has no answer in `vars` yet, or "".
std::string pending_pick(const std::vector<std::string>& args, const std::map<std::string, std::string>& vars) {
  const std::string mark = "${picked.";
  for (const auto& a : args)
    for (auto at = a.find(mark); at != std::string::npos; at = a.find(mark, at + 1)) {
      const auto end = a.find('}', at);
      const std::string name = a.substr(at + 2, end == std::string::npos ? std::string::npos : end - at - 2);
      if (!vars.count(name)) return name.substr(std::string("picked.").size());
    }
  return "";
}

// A pick script's answer: the last line of its output.
std::string last_line(std::string out) {
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  const auto last = out.rfind('\n');
  return last == std::string::npos ? out : out.substr(last + 1);
}

// Runs a command line, echoing it unless `quiet` (its standard error then goes nowhere); returns its exit
// status and (when `capture`) its standard output.
int run_script(const std::vector<std::string>& argv, std::string* captured, bool quiet = false) {
  std::string line = command_line(argv);
  if (!quiet) fmt::print(stderr, "study: {}\n", line);
  else line += " 2>/dev/null";
  std::fflush(nullptr);
  if (!captured) {
    const int status = std::system(line.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  FILE* pipe = ::popen(line.c_str(), "r");
  if (!pipe) throw EnvironmentError(fmt::format("cannot start {}", argv.front()));
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe)) *captured += buffer.data();
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// One invocation of a study: its file, steps, settings and the variables its steps substitute.
struct Study {
  std::string name;
  fs::path file;
  std::vector<Step> steps;
  std::map<std::string, std::string> vars;  // seeds, jobs, dir, python, the params, then picked.NAME as picks run
  bool dry_run = false;
  std::vector<std::string> launcher;  // launcher=slurm, launcher.partition=P: handed to every sweep
};

// The study named by args[0] with the settings of the rest (one line naming what is wrong otherwise).
Study open_study(const fs::path& config_dir, const std::vector<std::string>& args) {
  if (args.empty()) throw UserError(fmt::format("study needs a name; studies: {}", fmt::join(list_options(config_dir / "study"), ", ")));
  Study study;
  study.name = args[0];
  study.file = config_dir / "study" / (study.name + ".yaml");
  if (!fs::exists(study.file))
    throw UserError(fmt::format("no study '{}'{}", study.name, closest_hint(study.name, list_options(config_dir / "study"))));
  const char* python = std::getenv("STANLEY_PYTHON");
  study.vars = {{"seeds", "0,1,2,3,4"}, {"jobs", "1"}, {"dir", "results/study/" + study.name},
                {"python", python ? python : (fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3")}};
  const YAML::Node root = load_yaml_file(study.file);
  std::vector<Param> params = read_params(study.file, root);
  std::vector<std::string> settable = kVariables;
  for (const auto& p : params) settable.push_back(p.name);
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--dry-run") {
      study.dry_run = true;
      continue;
    }
    if (args[i].rfind("launcher", 0) == 0) {
      study.launcher.push_back(args[i]);
      continue;
    }
    const auto eq = args[i].find('=');
    const std::string key = args[i].substr(0, eq);
    if (eq == std::string::npos || std::find(settable.begin(), settable.end(), key) == settable.end()) {
      std::string own;
      for (const auto& p : params) own += fmt::format(" [{}=..]", p.name);
      throw UserError(fmt::format("study {} takes [--dry-run] [seeds=..] [jobs=N] [dir=D] [python=P]{} [launcher=slurm launcher.KEY=V] (got '{}'){}",
                                  study.name, own, args[i], closest_hint(key, settable)));
    }
    const std::string value = args[i].substr(eq + 1);
    auto param = std::find_if(params.begin(), params.end(), [&](const Param& p) { return p.name == key; });
    if (param != params.end()) param->value = value;
    else study.vars[key] = value;
  }
  // A dry run lists what would run without the data and weights it needs.
  if (!study.dry_run) check_params(study.name, params);
  for (const auto& p : params) study.vars[p.name] = p.value.empty() ? "<" + p.name + ">" : p.value;
  study.steps = read_steps(study.file, root);
  return study;
}

// Stopped by SIGINT or SIGTERM, in a sweep or in a script: no later step runs.
int stopped(const Study& study, std::size_t i, int rc) {
  fmt::print(stderr, "study {}: stopped in step {}; run the same command again to continue\n", study.name, i + 1);
  return rc;
}

// Step i, a sweep into dir/<its dir>: 0 when every job finished or diverged, else the study's exit status.
int sweep_step(const fs::path& config_dir, Study& study, std::size_t i) {
  const Step& step = study.steps[i];
  auto& vars = study.vars;
  if (const std::string pick = study.dry_run ? pending_pick(step.args, vars) : ""; !pick.empty()) {
    fmt::print("step {}: sweep into {}/{}: listed once pick {} has runs to pick from\n", i + 1, vars["dir"], step.dir, pick);
    return 0;
  }
  if (const std::string pick = no_runs_pick(step.args, vars); !pick.empty()) {
    fmt::print(stderr, "study {}: step {} of {}: sweep into {}/{} skipped: pick {} asks for no runs\n", study.name, i + 1,
               study.steps.size(), vars["dir"], step.dir, pick);
    return 0;
  }
  std::vector<std::string> sweep = substitute(step.args, vars, fmt::format("{} step {}", study.file.string(), i + 1));
  sweep.push_back(fmt::format("run.dir={}/{}", vars["dir"], step.dir));
  const bool slurm = std::find(study.launcher.begin(), study.launcher.end(), "launcher=slurm") != study.launcher.end();
  if (!slurm) sweep.push_back("jobs=" + vars["jobs"]);
  sweep.insert(sweep.end(), study.launcher.begin(), study.launcher.end());
  if (study.dry_run) sweep.push_back("--dry-run");
  else if (slurm) sweep.push_back("--wait");  // the steps after a sweep read its runs: wait for the array
  fmt::print(stderr, "study {}: step {} of {}: sweep {}\n", study.name, i + 1, study.steps.size(), fmt::join(sweep, " "));
  // A diverged job is a result (the reports list it) and the study goes on. An interrupted sweep or a
  // failed job stops it: a pick made from an incomplete sweep would fix the next sweep's grid, and the
  // rerun, which retries the job, could then pick differently.
  const int rc = run_sweep(config_dir, sweep);
  if (interrupted_exit(rc)) return stopped(study, i, rc);
  if (rc != 0) {
    fmt::print(stderr, "study {}: step {}'s sweep {}/{} has failed jobs (`stanley sweep status {}/{}`, logs under its logs/); "
               "the steps after it wait for every job to finish or diverge: run the same command again to retry them\n",
               study.name, i + 1, vars["dir"], step.dir, vars["dir"], step.dir);
    return 1;
  }
  return 0;
}

// A dry run's script step: listed; a pick is run on what its sweeps hold so far, writing nothing (the pick
// scripts leave out --report under STANLEY_STUDY_DRY_RUN) and reading runs still being written; without
// runs to pick from, the sweeps after it are listed once it can.
void list_script_step(Study& study, std::size_t i, const std::vector<std::string>& argv) {
  const Step& step = study.steps[i];
  fmt::print("step {}: {} {}\n", i + 1, step.kind, command_line(argv));
  if (step.kind != "pick") return;
  setenv("STANLEY_STUDY_DRY_RUN", "1", 1);
  setenv("HDF5_USE_FILE_LOCKING", "FALSE", 0);
  std::string out;
  const int rc = run_script(argv, &out, /*quiet=*/true);
  unsetenv("STANLEY_STUDY_DRY_RUN");
  const std::string picked = last_line(out);
  if (rc == 0 && !picked.empty()) {  // else the sweeps that use it are listed once it can pick
    study.vars["picked." + step.name] = picked;
    fmt::print("step {}: picked now (from the runs finished so far; the study picks again after its sweeps): {}\n", i + 1,
               picked);
  }
}

// Step i, a script (a pick, whose last output line becomes ${picked.NAME}, or a report): 0, or the study's
// exit status when interrupted; a failed script is a UserError.
int script_step(const fs::path& source_dir, Study& study, std::size_t i) {
  const Step& step = study.steps[i];
  const std::string where = fmt::format("{} step {}", study.file.string(), i + 1);
  std::vector<std::string> argv = substitute(step.args, study.vars, where);
  if (argv.empty()) throw UserError(where + ": a script step names its script");
  if (fs::path(argv[0]).extension() == ".py") {
    argv[0] = (source_dir / argv[0]).string();
    argv.insert(argv.begin(), study.vars["python"]);
  }
  if (study.dry_run) {
    list_script_step(study, i, argv);
    return 0;
  }
  std::string out;
  const int rc = run_script(argv, step.kind == "pick" ? &out : nullptr);
  if (interrupted_exit(rc)) return stopped(study, i, rc);
  if (rc != 0) throw UserError(fmt::format("{}: {} exited {}", where, argv.size() > 1 ? argv[1] : argv[0], rc));
  if (step.kind == "pick") {
    study.vars["picked." + step.name] = last_line(out);
    fmt::print(stderr, "study {}: picked {}: {}\n", study.name, step.name, study.vars["picked." + step.name]);
  }
  return 0;
}

}  // namespace

int run_study(const fs::path& config_dir, const fs::path& source_dir, const std::vector<std::string>& args) {
  Study study = open_study(config_dir, args);
  for (std::size_t i = 0; i < study.steps.size(); ++i) {
    const int rc = study.steps[i].kind == "sweep" ? sweep_step(config_dir, study, i) : script_step(source_dir, study, i);
    if (rc != 0) return rc;
  }
  return 0;
}

}  // namespace stanley
