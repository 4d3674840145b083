#include "run/fid_setup.h"

#include <fmt/format.h>

#include "metrics/classifier_features.h"
#include "metrics/inception_features.h"

namespace stanley {

namespace {

FeatureExtractorPtr make_classifier(const Config& cfg, const ImageDataset& data, const torch::Device&, const FidLog& log,
                                    std::vector<std::string>&) {
  const ClassifierSettings s = ClassifierSettings::from_config(cfg.sub("features.classifier"));
  const ImageSet train = data.split() == "train" ? data.images() : data.load_split("train");
  const ImageSet test = data.load_split("test");
  auto net = std::make_shared<ClassifierFeatures>(s, train, test, data.content_key(train, "train"),
                                                  cfg.get<std::string>("data.cache_dir"), log);
  log(fmt::format("feature network {}: test accuracy {:.4f} ({})", s.name, net->test_accuracy(), net->cache_file().string()));
  return net;
}

FeatureExtractorPtr make_inception(const Config& cfg, const ImageDataset&, const torch::Device& device, const FidLog& log,
                                   std::vector<std::string>& unavailable) {
  if (!cfg.has("features.inception.path")) {
    unavailable.push_back(
        "fid_inception unavailable: no Inception file configured (features.inception.path=...; NVIDIA's "
        "inception-2015-12-05.pt or analysis/export_inception.py's export)");
    log(unavailable.back());
    return nullptr;
  }
  return std::make_shared<InceptionFeatures>(cfg.get<std::string>("features.inception.path"),
                                             cfg.get<std::string>("features.inception.format"), device);
}

}  // namespace

Registry<ExtractorFactory>& extractor_registry() {
  static Registry<ExtractorFactory> table = [] {
    Registry<ExtractorFactory> r("feature extractor (eval.extractors)");
    r.add("classifier", "the suite's own feature network, trained on the dataset (fid_classifier)", make_classifier);
    r.add("inception", "Inception-v3 pool3 from a TorchScript file the user supplies (fid_inception)", make_inception);
    return r;
  }();
  return table;
}

void check_feature_files(const Config& cfg) {
  for (const auto& kind : cfg.get<std::vector<std::string>>("eval.extractors")) {
    if (kind == "classifier") {
      const Config c = cfg.sub("features.classifier");
      if (c.has("weights") && !c.node()["weights"].IsNull()) check_classifier_file(c.get<std::string>("weights"));
    } else if (kind == "inception" && cfg.has("features.inception.path")) {
      check_inception_file(cfg.get<std::string>("features.inception.path"));
    }
  }
}

FidSetup setup_fid(const Config& cfg, const ImageDataset& data, const torch::Device& device, const FidLog& log) {
  FidSetup out;
  const std::string cache_dir = cfg.get<std::string>("data.cache_dir");
  const std::string ref_split = cfg.get<std::string>("eval.ref_split");
  const ImageSet reference = ref_split == data.split() ? data.images() : data.load_split(ref_split);
  const std::string reference_key = data.content_key(reference, ref_split);
  for (const auto& kind : cfg.get<std::vector<std::string>>("eval.extractors")) {
    FeatureExtractorPtr extractor = extractor_registry().get(kind).factory(cfg, data, device, log, out.unavailable);
    if (!extractor) continue;
    const auto label = fmt::format("{}-{}", data.name(), ref_split);
    out.references.push_back(reference_stats(*extractor, reference, label, reference_key, cache_dir,
                                             cfg.get<long>("eval.kid_keep"), device));
    log(fmt::format("reference statistics fid_{}: {} images of {} ({})", extractor->name(), out.references.back().stats.n,
                    label, out.references.back().file.string()));
    out.extractors.push_back(extractor);
  }
  return out;
}

}  // namespace stanley
