#include "transfer/FreezeStrategy.h"

#include "model/nn/Layers.h"
#include "train/ClassificationObjective.h"

#include <QObject>

#include <algorithm>

namespace ts {

int FreezeStrategy::frozenCount(int setting, int layers)
{
    return setting < 0 ? layers / 2 : std::min(setting, layers);
}

Result<PhaseResult> FreezeStrategy::run(TransferContext &ctx)
{
    // Frozen layers stay in the stored dtype (bf16/fp16); the trained ones become fp32 below.
    auto model = ctx.loadModel(ModelTask::SequenceClassification, true);
    if (!model)
        return Result<PhaseResult>::failure(model.error());
    const auto &backbone = model.value()->backbone();
    const auto layers = backbone->layers();
    const int frozen = frozenCount(int(descriptor().number(ctx.config, QString::fromLatin1(kFrozenLayers))), int(layers.size()));
    const bool freezeEmbeddings = descriptor().flag(ctx.config, QString::fromLatin1(kFreezeEmbeddings));
    if (freezeEmbeddings) {
        for (auto &p : backbone->embeddings()->parameters())
            p.set_requires_grad(false);
    }
    for (int i = 0; i < frozen; ++i) {
        for (auto &p : layers[size_t(i)]->parameters())
            p.set_requires_grad(false);
    }
    layers::trainInFloat32(*model.value());
    ctx.log(QStringLiteral("frozen: %1embeddings and %2 of %3 layers")
                .arg(freezeEmbeddings ? QString() : QStringLiteral("no "))
                .arg(frozen)
                .arg(layers.size()));
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

const StrategyDescriptor &FreezeStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Freeze lower layers");
        d.description = QObject::tr("Keeps the embeddings and the lower layers exactly as pretrained and trains only "
                                    "the upper layers and the classifier. Cheaper, and protects general knowledge when "
                                    "the source is small.");
        d.options = {{QString::fromLatin1(kFrozenLayers), QObject::tr("Frozen layers"), Kind::Integer, -1, -1, 1000, {},
                      QObject::tr("How many layers, counted from the input, stay fixed; -1 freezes the lower half.")},
                     {QString::fromLatin1(kFreezeEmbeddings), QObject::tr("Freeze embeddings"), Kind::Flag, true, 0, 0,
                      {}, QObject::tr("Also keep the token and position embeddings fixed.")}};
        d.trains = StrategyDescriptor::Trains::UpperLayers;
        d.phases = {QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new FreezeStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
