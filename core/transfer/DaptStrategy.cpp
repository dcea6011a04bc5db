#include "transfer/DaptStrategy.h"

#include "train/ClassificationObjective.h"

#include <QObject>

namespace ts {

Result<PhaseResult> DaptStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    auto start = DomainAdaptivePretraining::run(ctx, descriptor());
    if (!start)
        return R::failure(start.error());
    if (start->cancelled)
        return *start->cancelled;
    ClassificationObjective objective(start->model, int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(start->model, objective, ctx.parameterGroups(*start->model), start->firstPhase);
}

const StrategyDescriptor &DaptStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Domain-adaptive pre-training");
        d.description = QObject::tr("First continues pre-training the model on the target's unlabelled text (masked "
                                    "words for encoders, next words for decoders), so it learns the target's vocabulary "
                                    "and style; then fine-tunes on the source labels (Gururangan et al. 2020). Helps "
                                    "when the target has plenty of unlabelled text.");
        // At least 0.05 epochs: pre-training is what dapt is.
        d.options = DomainAdaptivePretraining::options(1.0, 0.05);
        d.needsUnlabelledTarget = true;
        d.phases = {QStringLiteral("pretrain"), QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new DaptStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
