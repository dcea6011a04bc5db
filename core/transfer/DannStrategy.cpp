#include "transfer/DannStrategy.h"

#include "transfer/DomainAdversarialObjective.h"

namespace ts {

Result<PhaseResult> DannStrategy::run(TransferContext &ctx)
{
    using R = Result<PhaseResult>;
    if (ctx.targetUnlabeled.isEmpty())
        return R::failure(QStringLiteral("dann needs unlabelled target text: corpus \"%1\" has none (import some with "
                                         "--unlabeled, or pick another strategy)")
                              .arg(ctx.targetName));
    auto model = ctx.loadModel(ModelTask::SequenceClassification);
    if (!model)
        return R::failure(model.error());
    DomainAdversarialObjective::Settings settings;
    settings.weight = ctx.config.option(QStringLiteral("domain_weight"), 1.0);
    settings.gamma = ctx.config.option(QStringLiteral("gamma"), 10.0);
    settings.hidden = int(ctx.config.option(QStringLiteral("domain_hidden"), 256));
    settings.batchSize = ctx.config.batchSize;
    settings.seed = uint64_t(ctx.config.dataSeed) + 1;
    torch::manual_seed(uint64_t(ctx.config.initSeed) + 1);
    DomainAdversarialObjective objective(model.value(), int(ctx.classes.size()), ctx.tokenizer.padId(), ctx.device,
                                         ctx.targetUnlabeled, settings);
    ctx.log(QStringLiteral("domain-adversarial training against %1 unlabelled target texts").arg(ctx.targetUnlabeled.size()));
    return ctx.fineTune(model.value(), objective, ctx.parameterGroups(*model.value(), objective.extraParameters()), 0);
}

} // namespace ts
