#include "transfer/GradualUnfreezeStrategy.h"

#include "model/nn/Layers.h"
#include "train/ClassificationObjective.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <set>

namespace ts {

int GradualUnfreezeStrategy::unfrozenAt(int epoch, double unfreezeEvery, int blocks)
{
    // Epoch 0: head only; then one block more per `unfreezeEvery` epochs.
    const int count = int(std::floor(double(epoch) / std::max(unfreezeEvery, 1e-6)));
    return std::clamp(count, 0, blocks);
}

Result<PhaseResult> GradualUnfreezeStrategy::run(TransferContext &ctx)
{
    // Blocks stay in the stored dtype (bf16/fp16) until unfrozen; the rest trains in fp32 from the start.
    auto model = ctx.loadModel(ModelTask::SequenceClassification, true);
    if (!model)
        return Result<PhaseResult>::failure(model.error());
    const auto &backbone = model.value()->backbone();
    // Blocks from the top: the transformer layers last-first, then the embeddings.
    std::vector<std::shared_ptr<torch::nn::Module>> blocks = backbone->layers();
    std::reverse(blocks.begin(), blocks.end());
    blocks.push_back(backbone->embeddings());
    const double decay = descriptor().number(ctx.config, QString::fromLatin1(kLayerDecay));
    const double every = descriptor().number(ctx.config, QString::fromLatin1(kUnfreezeEvery));

    // Groups: every backbone block at lr / decay^(depth+1); the rest (head, pooler, final norm) at lr.
    std::set<const void *> inBlocks;
    std::vector<ParameterGroup> groups;
    for (size_t depth = 0; depth < blocks.size(); ++depth) {
        for (auto &p : blocks[depth]->parameters())
            inBlocks.insert(p.unsafeGetTensorImpl());
        auto blockGroups = ctx.parameterGroups(*blocks[depth], {}, std::pow(decay, -double(depth + 1)));
        groups.insert(groups.end(), blockGroups.begin(), blockGroups.end());
    }
    ParameterGroup headDecay{{}, 1.0, ctx.config.weightDecay};
    ParameterGroup headNoDecay{{}, 1.0, 0.0};
    for (const auto &item : model.value()->named_parameters()) {
        if (inBlocks.count(item.value().unsafeGetTensorImpl()) == 0)
            (TransferContext::isNoDecay(item.key()) ? headNoDecay : headDecay).parameters.push_back(item.value());
    }
    groups.push_back(headDecay);
    groups.push_back(headNoDecay);
    for (const auto &block : blocks) {
        for (auto &p : block->parameters())
            p.set_requires_grad(false);
    }
    layers::trainInFloat32(*model.value());

    const auto unfreeze = [&ctx, blocks, every](int epoch) {
        const int open = unfrozenAt(epoch, every, int(blocks.size()));
        for (size_t depth = 0; depth < blocks.size(); ++depth) {
            for (auto &p : blocks[depth]->parameters())
                p.set_requires_grad(int(depth) < open);
            // An unfrozen block trains in fp32 (one copy); AdamW makes its state, fp32, at its first step.
            layers::trainInFloat32(*blocks[depth]);
        }
        ctx.log(QStringLiteral("epoch %1: %2 of %3 blocks unfrozen").arg(epoch + 1).arg(open).arg(blocks.size()));
    };
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, groups, 0, unfreeze);
}

const StrategyDescriptor &GradualUnfreezeStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        using Kind = StrategyOption::Kind;
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Gradual unfreezing (ULMFiT)");
        d.description = QObject::tr("Starts by training only the classifier, then unfreezes one more layer from the "
                                    "top each epoch, with smaller learning rates for lower layers (Howard & Ruder 2018). "
                                    "Avoids overwriting what the model knows while the new classifier is still random.");
        d.options = {{QString::fromLatin1(kUnfreezeEvery), QObject::tr("Unfreeze every (epochs)"), Kind::Real, 1.0, 0.05,
                      100, {}, QObject::tr("How often one more layer is unfrozen, in epochs.")},
                     {QString::fromLatin1(kLayerDecay), QObject::tr("Layer learning-rate decay"), Kind::Real, 2.6, 1.0,
                      10.0, {},
                      QObject::tr("Each layer below trains with the learning rate of the layer above divided by this.")}};
        d.phases = {QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new GradualUnfreezeStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
