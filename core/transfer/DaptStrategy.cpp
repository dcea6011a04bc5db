#include "transfer/DaptStrategy.h"

#include "model/nn/ModelExporter.h"
#include "model/nn/ModelLoader.h"
#include "train/ClassificationObjective.h"
#include "transfer/LanguageModelPhase.h"

namespace ts {

Result<PhaseResult> DaptStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    if (ctx.targetUnlabeled.isEmpty())
        return R::failure(QStringLiteral("dapt needs unlabelled target text: corpus \"%1\" has none (import some with "
                                         "--unlabeled, or pick another strategy)")
                              .arg(ctx.targetName));
    NamedTensors adapted;
    const bool resumingFineTuning = ctx.resume && ctx.resume->state.value(QLatin1String("phase")).toInt() >= 1;
    if (!resumingFineTuning) {
        const double rate = ctx.config.option(QStringLiteral("pretrain_learning_rate"), 0.0);
        auto phase = LanguageModelPhase::run(ctx, ctx.targetUnlabeled,
                                             ctx.config.option(QStringLiteral("pretrain_epochs"), 1.0),
                                             rate > 0 ? rate : ctx.config.learningRate, 0);
        if (!phase)
            return R::failure(phase.error());
        if (phase->result.cancelled)
            return phase->result;
        adapted = ModelExporter::exportTensors(*phase->model);
    }

    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return R::failure(model.error());
    if (!resumingFineTuning) {
        LoadOptions options;
        options.task = ModelTask::SequenceClassification;
        auto report = ModelLoader::loadWeights(*model.value(), adapted, options, QStringLiteral("the domain-adapted model"));
        if (!report)
            return R::failure(report.error());
        model.value()->to(ctx.device);
        ctx.log(QStringLiteral("fine-tuning from the domain-adapted weights"));
    }
    ClassificationObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device);
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value()), 1);
}

} // namespace ts
