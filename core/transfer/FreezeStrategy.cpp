#include "transfer/FreezeStrategy.h"

#include "train/ClassificationObjective.h"

#include <algorithm>

namespace ts {

int FreezeStrategy::frozenCount(int setting, int layers)
{
    return setting < 0 ? layers / 2 : std::min(setting, layers);
}

Result<PhaseResult> FreezeStrategy::run(TransferContext &ctx)
{
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return Result<PhaseResult>::failure(model.error());
    const auto &backbone = model.value()->backbone();
    const auto layers = backbone->layers();
    const int frozen = frozenCount(int(ctx.config.option(QStringLiteral("frozen_layers"), -1)), int(layers.size()));
    const bool freezeEmbeddings = ctx.config.options.value(QStringLiteral("freeze_embeddings")).toBool(true);
    if (freezeEmbeddings) {
        for (auto &p : backbone->embeddings()->parameters())
            p.set_requires_grad(false);
    }
    for (int i = 0; i < frozen; ++i) {
        for (auto &p : layers[size_t(i)]->parameters())
            p.set_requires_grad(false);
    }
    ctx.log(QStringLiteral("frozen: %1embeddings and %2 of %3 layers")
                .arg(freezeEmbeddings ? QString() : QStringLiteral("no "))
                .arg(frozen)
                .arg(layers.size()));
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

} // namespace ts
