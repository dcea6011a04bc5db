#include "transfer/FineTuneStrategy.h"

#include "train/ClassificationObjective.h"

#include <QObject>

namespace ts {

Result<PhaseResult> FineTuneStrategy::run(TransferContext &ctx)
{
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return Result<PhaseResult>::failure(model.error());
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 0);
}

const StrategyDescriptor &FineTuneStrategy::descriptor()
{
    static const StrategyDescriptor d = [] {
        StrategyDescriptor d;
        d.name = QString::fromLatin1(kName);
        d.title = QObject::tr("Source only (fine-tune)");
        d.description = QObject::tr("Fine-tunes the whole model on the labelled source corpus and measures it on the "
                                    "target. The classic transfer baseline: how far does the source alone carry?");
        d.baseline = StrategyDescriptor::Baseline::FineTuning;
        d.phases = {QStringLiteral("fine-tuning")};
        d.create = [] { return std::unique_ptr<TransferStrategy>(new FineTuneStrategy); };
        return d;
    }();
    return d;
}

} // namespace ts
