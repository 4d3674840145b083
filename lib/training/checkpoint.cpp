#include "training/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "config/errors.h"
#include "config/yaml_tree.h"
#include "store/atomic_file.h"

namespace fs = std::filesystem;

namespace stanley {

fs::path checkpoint_path(const fs::path& dir, std::int64_t iteration) {
  return dir / fmt::format("iter_{:07d}.pt", iteration);
}

namespace {
torch::Tensor text_tensor(const std::string& text) {
  return torch::tensor(std::vector<std::int64_t>(text.begin(), text.end()), torch::kInt64);
}
std::string tensor_text(const torch::Tensor& t) {
  const torch::Tensor c = t.to(torch::kCPU, torch::kInt64).contiguous();
  return std::string(c.data_ptr<std::int64_t>(), c.data_ptr<std::int64_t>() + c.numel());
}
}  // namespace

std::string run_identity_hash(const Config& cfg) {
  YAML::Node node = YAML::Clone(cfg.node());
  if (node["train"] && node["train"]["iters"]) node["train"].remove("iters");
  return hash_text(Config(node).to_yaml());
}

std::optional<std::string> checkpoint_config_hash(const fs::path& file) {
  torch::serialize::InputArchive archive;
  archive.load_from(file.string());
  torch::Tensor t;
  if (!archive.try_read("config_hash", t)) return std::nullopt;
  return tensor_text(t);
}

void save_checkpoint(const fs::path& dir, std::int64_t iteration, torch::nn::Module& model,
                     torch::optim::Optimizer* optimizer, const RunGenerators* gens,
                     const std::map<std::string, torch::Tensor>& extra, const std::string& config_hash) {
  torch::serialize::OutputArchive archive, model_archive;
  model.save(model_archive);
  archive.write("model", model_archive);
  if (optimizer) {
    torch::serialize::OutputArchive optim_archive;
    optimizer->save(optim_archive);
    archive.write("optimizer", optim_archive);
  }
  archive.write("iteration", torch::tensor(iteration, torch::kInt64));
  if (gens) {
    archive.write("gen_data", gens->data.get_state());
    archive.write("gen_chain_starts", gens->starts.get_state().cpu());
    archive.write("gen_chain_noise", gens->chains.noise.get_state().cpu());
    archive.write("gen_mh_accept", gens->chains.accept.get_state().cpu());
  }
  std::string names;
  for (const auto& [name, tensor] : extra) {
    archive.write("extra_" + name, tensor.cpu());
    names += name + "\n";
  }
  archive.write("extra_names", text_tensor(names));
  if (!config_hash.empty()) archive.write("config_hash", text_tensor(config_hash));
  const fs::path final_path = checkpoint_path(dir, iteration);
  // A run killed mid-save leaves the previous checkpoint intact.
  write_atomically(final_path, [&](const std::string& tmp) { archive.save_to(tmp); });
}

std::int64_t load_checkpoint(const fs::path& file, torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                             RunGenerators* gens, const torch::Device& device,
                             std::map<std::string, torch::Tensor>* extra) {
  if (!fs::exists(file)) throw UserError(fmt::format("checkpoint not found: {}", file.string()));
  torch::serialize::InputArchive archive, model_archive;
  archive.load_from(file.string(), device);
  archive.read("model", model_archive);
  model.load(model_archive);
  if (optimizer) {
    torch::serialize::InputArchive optim_archive;
    archive.read("optimizer", optim_archive);
    optimizer->load(optim_archive);
  }
  torch::Tensor it;
  archive.read("iteration", it);
  if (gens) {
    torch::Tensor s;
    if (!archive.try_read("gen_chain_starts", s))
      throw UserError(fmt::format("{} was written before the chain starts, step noise and MH uniforms had streams of their "
                                  "own (2026-12-04): it cannot continue exactly; run it again from the start",
                                  file.string()));
    gens->starts.set_state(s.cpu());
    archive.read("gen_data", s);
    gens->data.set_state(s.cpu());
    archive.read("gen_chain_noise", s);
    gens->chains.noise.set_state(s.cpu());
    archive.read("gen_mh_accept", s);
    gens->chains.accept.set_state(s.cpu());
  }
  torch::Tensor names_t;
  if (extra && archive.try_read("extra_names", names_t)) {
    const std::string names = tensor_text(names_t);
    std::size_t pos = 0, nl;
    while ((nl = names.find('\n', pos)) != std::string::npos) {
      const std::string name = names.substr(pos, nl - pos);
      archive.read("extra_" + name, (*extra)[name]);
      pos = nl + 1;
    }
  }
  return it.item<std::int64_t>();
}

namespace {
const std::regex& checkpoint_name() {
  static const std::regex name_re(R"(iter_(\d+)\.pt)");
  return name_re;
}
}  // namespace

std::int64_t checkpoint_iteration(const fs::path& file) {
  std::smatch m;
  const std::string name = file.filename().string();
  if (!std::regex_match(name, m, checkpoint_name())) throw UserError(fmt::format("{} is not a checkpoint file", file.string()));
  return std::stoll(m[1]);
}

std::optional<fs::path> latest_readable_checkpoint(const fs::path& dir, std::vector<std::string>* skipped) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir)) {
    for (const auto& e : fs::directory_iterator(dir))
      if (std::regex_match(e.path().filename().string(), checkpoint_name())) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end(),
            [](const fs::path& a, const fs::path& b) { return checkpoint_iteration(a) > checkpoint_iteration(b); });
  for (const auto& f : files) {
    try {
      torch::serialize::InputArchive archive;
      archive.load_from(f.string());
      return f;
    } catch (const std::exception& e) {
      if (skipped) skipped->push_back(fmt::format("{} is unreadable ({})", f.string(), first_line(e.what()).substr(0, 120)));
    }
  }
  return std::nullopt;
}

std::optional<fs::path> latest_checkpoint(const fs::path& dir) {
  std::optional<fs::path> best;
  long long best_iter = -1;
  if (!fs::is_directory(dir)) return best;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (!std::regex_match(name, checkpoint_name())) continue;
    const long long iter = checkpoint_iteration(e.path());
    if (iter > best_iter) {
      best_iter = iter;
      best = e.path();
    }
  }
  return best;
}

}  // namespace stanley
