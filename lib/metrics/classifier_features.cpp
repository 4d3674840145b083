#include "metrics/classifier_features.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <optional>

#include "config/config.h"
#include "config/yaml_tree.h"
#include "random/draws.h"
#include "random/streams.h"
#include "runtime/progress.h"
#include "store/atomic_file.h"
#include "store/build_lock.h"

namespace fs = std::filesystem;

namespace stanley {

ClassifierSettings ClassifierSettings::from_config(const Config& cfg) {
  ClassifierSettings s;
  s.name = cfg.get<std::string>("name");
  s.width = cfg.get<long>("width");
  s.epochs = cfg.get<long>("epochs");
  s.batch = cfg.get<long>("batch");
  s.lr = cfg.get<double>("lr");
  s.seed = static_cast<std::uint64_t>(cfg.get<long>("seed"));
  if (cfg.has("weights") && !cfg.node()["weights"].IsNull()) s.weights = cfg.get<std::string>("weights");
  if (s.width <= 0 || s.epochs <= 0 || s.batch <= 0 || s.lr <= 0)
    throw UserError(fmt::format("{}: width, epochs, batch and lr must be > 0", cfg.full_key("")));
  return s;
}

ClassifierNetImpl::ClassifierNetImpl(std::int64_t channels, std::int64_t side, std::int64_t width, std::int64_t classes) {
  namespace nn = torch::nn;
  body_ = nn::Sequential(nn::Conv2d(nn::Conv2dOptions(channels, width, 3).padding(1)), nn::ReLU(),
                         nn::MaxPool2d(2), nn::Conv2d(nn::Conv2dOptions(width, 2 * width, 3).padding(1)), nn::ReLU(),
                         nn::MaxPool2d(2), nn::Flatten(), nn::Linear(2 * width * (side / 4) * (side / 4), 128),
                         nn::ReLU());
  head_ = nn::Linear(128, classes);
  register_module("body", body_);
  register_module("head", head_);
}

torch::Tensor ClassifierNetImpl::embed(const torch::Tensor& x) { return body_->forward(x); }
torch::Tensor ClassifierNetImpl::forward(const torch::Tensor& x) { return head_->forward(embed(x)); }

namespace {

std::string read_file_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

double accuracy(ClassifierNet& net, const ImageSet& set) {
  torch::NoGradGuard no_grad;
  net->eval();
  std::int64_t correct = 0;
  const std::int64_t n = set.images.size(0);
  for (std::int64_t i = 0; i < n; i += 1000) {
    const std::int64_t b = std::min<std::int64_t>(1000, n - i);
    torch::Tensor pred = net->forward(to_unit_range(set.images.narrow(0, i, b))).argmax(1);
    correct += pred.eq(set.labels.narrow(0, i, b)).sum().item<std::int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

}  // namespace

void check_classifier_file(const fs::path& file) {
  if (!fs::exists(file))
    throw UserError(fmt::format("features.classifier.weights: {} not found (the frozen network is made by "
                                "scripts/freeze_fid_fmnist.sh; weights=null trains one instead)", file.string()));
  try {
    torch::serialize::InputArchive in, model;
    in.load_from(file.string());
    in.read("model", model);
    torch::Tensor acc;
    in.read("test_accuracy", acc);
  } catch (const std::exception& e) {
    throw UserError(fmt::format("features.classifier.weights: {} is damaged or not a feature network ({})", file.string(),
                                first_line(e.what())));
  }
}

ClassifierFeatures::ClassifierFeatures(const ClassifierSettings& s, const ImageSet& train, const ImageSet& test,
                                       const std::string& source_key, const fs::path& cache_dir,
                                       const std::function<void(const std::string&)>& log)
    : settings_(s) {
  if (!train.labels.defined() || !test.labels.defined())
    throw UserError(fmt::format("feature network '{}' needs labelled data (train and test splits)", s.name));
  const std::int64_t c = train.images.size(1), side = train.images.size(2);
  const std::int64_t classes = train.labels.max().item<std::int64_t>() + 1;
  if (!s.weights.empty()) {
    // The frozen metric: the file is the network; its fingerprint is its content.
    cache_file_ = s.weights;
    check_classifier_file(cache_file_);
    fingerprint_ = hash_text(read_file_bytes(cache_file_));
    load(cache_file_, c, side, classes);
    net_->eval();
    for (auto& p : net_->parameters()) p.set_requires_grad(false);
    return;
  }
  const std::string key = fmt::format("classifier-v2|{}|c{}|s{}|w{}|e{}|b{}|lr{}|seed{}|n{}", source_key, c, side, s.width,
                                      s.epochs, s.batch, s.lr, s.seed, train.images.size(0));
  fingerprint_ = hash_text(key);
  cache_file_ = cache_dir / "features" / fmt::format("{}-{}.pt", s.name, fingerprint_);
  {
    // Initial weights from features.classifier.seed alone, not from wherever the run's global
    // generator stands; its state is restored so the run's own streams are untouched.
    with_global_cpu_seed(s.seed, [&] { net_ = ClassifierNet(c, side, s.width, classes); });
  }

  // The jobs of a sweep start together: one trains the network, the others wait and load it.
  std::optional<BuildLock> building;
  if (!fs::exists(cache_file_)) building.emplace(cache_file_, log);
  if (fs::exists(cache_file_)) {
    load(cache_file_, c, side, classes);
  } else {
    // Batches drawn from its own generator: the same data and settings give the same network.
    at::Generator gen = make_generator(torch::kCPU, s.seed);
    torch::optim::Adam opt(net_->parameters(), torch::optim::AdamOptions(s.lr));
    const std::int64_t n = train.images.size(0), steps = (n + s.batch - 1) / s.batch;
    Progress progress(fmt::format("feature net {}", s.name), s.epochs * steps, 0);
    net_->train();
    for (std::int64_t e = 0; e < s.epochs; ++e) {
      torch::Tensor order = draw::permutation(n, gen, torch::kCPU);
      for (std::int64_t k = 0; k < steps; ++k) {
        torch::Tensor idx = order.narrow(0, k * s.batch, std::min(s.batch, n - k * s.batch));
        torch::Tensor loss = torch::nn::functional::cross_entropy(
            net_->forward(to_unit_range(train.images.index_select(0, idx))), train.labels.index_select(0, idx));
        opt.zero_grad();
        loss.backward();
        opt.step();
        progress.update(e * steps + k + 1, fmt::format("loss={:.3f}", loss.item<double>()));
      }
    }
    progress.finish();
    test_accuracy_ = accuracy(net_, test);
    torch::serialize::OutputArchive out, model;
    net_->save(model);
    out.write("model", model);
    out.write("test_accuracy", torch::tensor(test_accuracy_, torch::kFloat64));
    out.write("width", torch::tensor(s.width, torch::kInt64));
    write_atomically(cache_file_, [&](const std::string& tmp) { out.save_to(tmp); });
    log(fmt::format("trained feature network {} ({} epochs): test accuracy {:.4f} -> {}", s.name, s.epochs,
                    test_accuracy_, cache_file_.string()));
  }
  net_->eval();
  for (auto& p : net_->parameters()) p.set_requires_grad(false);
}

void ClassifierFeatures::load(const fs::path& file, std::int64_t channels, std::int64_t side, std::int64_t classes) {
  torch::serialize::InputArchive in, model;
  in.load_from(file.string());
  torch::Tensor width;
  if (in.try_read("width", width)) settings_.width = width.item<std::int64_t>();  // a frozen file says its own width
  if (net_.is_empty() || net_->parameters()[0].size(0) != settings_.width)
    net_ = ClassifierNet(channels, side, settings_.width, classes);  // every weight is loaded below
  in.read("model", model);
  net_->load(model);
  torch::Tensor acc;
  in.read("test_accuracy", acc);
  test_accuracy_ = acc.item<double>();
}

torch::Tensor ClassifierFeatures::features(const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  const torch::Tensor x = images.to(torch::kCPU, torch::kFloat32);
  // libtorch's CPU convolution here unfolds the whole batch at once (im2col: 113 MB for 500 images at
  // width 32), above the allocator's 32 MB mmap threshold, so every batch faulted its pages in anew:
  // measured, features of 5,000 images 2.3x faster in chunks of 64. Each image's arithmetic is its
  // own (per-image unfold and product), so the features are the same to the bit.
  constexpr std::int64_t kChunk = 64;
  if (x.size(0) <= kChunk) return net_->embed(x);
  std::vector<torch::Tensor> parts;
  for (std::int64_t i = 0; i < x.size(0); i += kChunk) parts.push_back(net_->embed(x.narrow(0, i, std::min(kChunk, x.size(0) - i))));
  return torch::cat(parts);
}

}  // namespace stanley
