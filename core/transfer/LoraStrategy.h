#pragma once

#include "transfer/LoraAdapter.h"
#include "transfer/TransferStrategy.h"

namespace ts {

/// `lora` (Hu et al. 2021): every pretrained weight frozen; low-rank adapters beside the linear
/// layers named in option `targets`, plus the classification head, train.
class LoraStrategy : public TransferStrategy
{
public:
    static constexpr const char *kName = "lora"; // the registry key runs record
    static constexpr const char *kRank = "rank";
    static constexpr const char *kAlpha = "alpha";
    static constexpr const char *kDropout = "dropout";
    static constexpr const char *kTargets = "targets";
    static constexpr const char *kAllLinear = "all-linear"; // targets value: every linear layer of the backbone

    /// Name, help, options and capabilities (StrategyRegistry).
    static const StrategyDescriptor &descriptor();

    Result<PhaseResult> run(TransferContext &ctx) override;
    /// Attaches the run's adapters.
    Status prepareForCheckpoint(PretrainedModel &model, const TrainingConfig &config) const override;
    /// Writes the adapters as a PEFT folder `adapter/`.
    Status exportExtras(const PretrainedModel &model, const TrainingConfig &config, const QString &outDir) const override;

    /// The adapter settings of a run's configuration.
    static LoraOptions options(const TrainingConfig &config);
    static QStringList targets(const TrainingConfig &config);

    /// Attaches an adapter to every linear layer of the backbone (Linear, or GPT-2's Conv1D) whose last
    /// name component is in `targets`, or to all of them for kAllLinear; returns how many (an error
    /// when none matches, listing the model's linear layer names).
    static Result<int> attach(PretrainedModel &model, const LoraOptions &options, const QStringList &targets);

    /// Writes the adapters as a PEFT folder (adapter_config.json, adapter_model.safetensors) that
    /// Hugging Face `peft` loads on top of the base model.
    static Status writePeftAdapter(const PretrainedModel &model, const LoraOptions &options, const QStringList &targets,
                                   const QString &dir);
};

} // namespace ts
